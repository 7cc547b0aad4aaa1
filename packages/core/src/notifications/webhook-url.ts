import { isIP } from 'node:net';
import type { IPv4, IPv6 } from 'ipaddr.js';
import type { FieldError } from '../errors.js';

/**
 * SSRF guard for webhook targets (docs/notifications.md, "Where a webhook may point"). A URL is refused
 * when it is not https in AWS, carries credentials, or names (literally, or by DNS at validation and again
 * at send time) an address that is not globally reachable unicast, or one of the portal host's own
 * addresses. The classification is ipaddr.js's table of the IANA special-purpose registries (private,
 * loopback, link-local, CGNAT, TEST-NETs, 6to4 relay, benchmarking, AS112, AMT, discard, documentation,
 * 2001::/23, NAT64, Teredo, ORCHID, ...); IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 * The two kinds ipaddr.js leaves "unicast" that are not are added here: IPv4-compatible IPv6 (::/96,
 * deprecated, carries an IPv4 address) and IPv6 outside the global unicast space 2000::/3 (unassigned).
 * An explicit allow-list of addresses or CIDRs (tests use 127.0.0.1) overrides the address rules.
 */
type AddressTable = typeof import('ipaddr.js');
let table: { ipaddr: AddressTable; ipv4Compatible: [IPv6, number]; globalUnicast: [IPv6, number] } | undefined;

/**
 * Loads the address table once (the sync checks below need it first). Loaded on first use, so it stays out of
 * the API's cold start (stacks/api-bundle.test.ts); `checkWebhookUrl` and the webhook transport call it.
 */
export async function loadAddressTable(): Promise<void> {
  if (table) return;
  const ipaddr = ((await import('ipaddr.js')) as { default?: AddressTable }).default ?? (await import('ipaddr.js'));
  table = {
    ipaddr: ipaddr as AddressTable,
    ipv4Compatible: ipaddr.parseCIDR('::/96') as [IPv6, number],
    globalUnicast: ipaddr.parseCIDR('2000::/3') as [IPv6, number],
  };
}

function loaded() {
  if (!table) throw new Error('loadAddressTable() must run before addresses are classified');
  return table;
}

/** ipaddr.js accepts inet_aton spellings (`0x7f.1`); only canonical literals count as addresses here. */
function parseLiteral(address: string): IPv4 | IPv6 | undefined {
  const { ipaddr } = loaded();
  const bare = stripBrackets(address);
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (bare.includes(':') && ipaddr.IPv6.isValid(bare)) {
    const v6 = ipaddr.IPv6.parse(bare);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return undefined;
}

/** The special-purpose range an address belongs to (`unicast` when it is an ordinary public one). */
export function addressRange(address: string): string {
  const ip = parseLiteral(address);
  if (!ip) return 'not an IP address';
  const range = ip.range();
  if (ip.kind() === 'ipv6' && range === 'unicast') {
    const { ipv4Compatible, globalUnicast } = loaded();
    if ((ip as IPv6).match(ipv4Compatible)) return 'ipv4Compatible';
    if (!(ip as IPv6).match(globalUnicast)) return 'unassigned';
  }
  return range;
}

/** The one spelling of an address, so own-address and allow-list comparisons see through `::ffff:`. */
export function normalizedAddress(address: string): string | undefined {
  return parseLiteral(address)?.toNormalizedString();
}

/** Addresses or CIDRs (`127.0.0.1`, `127.0.0.0/8`, `::1`) that may be called despite the rules. */
export class AddressAllowList {
  private ranges: Array<[IPv4 | IPv6, number]> | undefined;
  readonly entries: readonly string[];
  constructor(entries: readonly string[] = []) {
    this.entries = entries;
    for (const entry of entries) {
      if (isIP(entry.split('/')[0] ?? '') === 0)
        throw new Error(`allow-list entry ${entry} is not an IP address or CIDR`);
    }
  }
  allows(address: string): boolean {
    this.ranges ??= this.entries.map((entry) => {
      const [address = '', prefix] = entry.split('/');
      const ip = parseLiteral(address) as IPv4 | IPv6;
      return [ip, prefix === undefined ? (ip.kind() === 'ipv4' ? 32 : 128) : Number(prefix)];
    });
    const ip = parseLiteral(address);
    return (
      ip !== undefined &&
      this.ranges.some(([range, bits]) => range.kind() === ip.kind() && (ip as IPv4).match(range as IPv4, bits))
    );
  }
}

/**
 * The addresses of the machine the portal runs on (its non-loopback interfaces): a webhook must not call
 * back into it. An adapter reads them (packages/aws, host-network.ts); core never asks the OS.
 */
export interface HostAddresses {
  own(): readonly string[];
}

/** Resolves a host name to its addresses (DNS). An unresolvable name answers `[]`; delivery resolves again. */
export interface HostResolver {
  resolve(hostname: string): Promise<readonly string[]>;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True for any address that is not a routable public one. Non-IP input is refused too. */
export function isForbiddenAddress(address: string): boolean {
  return addressRange(address) !== 'unicast';
}

/** May this (resolved) address be connected to? The allow-list first; then public, and not the host's own. */
export function addressPermitted(address: string, allowList: AddressAllowList, host?: HostAddresses): boolean {
  if (allowList.allows(address)) return true;
  if (isForbiddenAddress(address)) return false;
  const normalized = normalizedAddress(address);
  return !(host?.own() ?? []).some((own) => normalizedAddress(own) === normalized);
}

export interface WebhookUrlPolicy {
  /** `local` and `test` may use http; every other stage (AWS) needs https. */
  stage: string;
  allowList: AddressAllowList;
  /** The portal host's own addresses, refused like private ones. */
  host?: HostAddresses;
  /** Resolves names at validation time, so a name pointing at a refused address is refused when saved. */
  resolver?: HostResolver;
}

export function stageAllowsHttp(stage: string): boolean {
  return stage === 'local' || stage === 'test';
}

const localNames = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;
const refusedAddress =
  'must not target a private, loopback or link-local address, a special-purpose one or the portal host';

/**
 * Checks what can be checked without DNS: scheme, credentials, port, and an IP literal or an obviously
 * local name. `checkWebhookUrl` adds the DNS check; names are resolved and checked again at send time (see
 * the webhook transport), which is what actually stops DNS rebinding.
 */
export function validateWebhookUrl(raw: string, policy: WebhookUrlPolicy): { url: URL } | { errors: FieldError[] } {
  const refuse = (message: string) => ({ errors: [{ path: 'url', message }] });
  if (raw.length > 2048) return refuse('at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not an absolute URL');
  }
  const httpAllowed = stageAllowsHttp(policy.stage);
  if (url.protocol !== 'https:' && !(httpAllowed && url.protocol === 'http:')) {
    return refuse(httpAllowed ? 'must be http or https' : 'must be https');
  }
  if (url.username !== '' || url.password !== '') return refuse('must not contain credentials');
  if (url.hash !== '') return refuse('must not contain a fragment');
  const host = stripBrackets(url.hostname);
  if (host === '') return refuse('needs a host');
  if (parseLiteral(host)) {
    if (!addressPermitted(host, policy.allowList, policy.host)) return refuse(refusedAddress);
    return { url };
  }
  if (localNames.test(host.replace(/\.$/, '')) || !host.includes('.')) {
    return refuse('must name a public host');
  }
  return { url };
}

/** `validateWebhookUrl`, then every address the name resolves to now must be permitted too. */
export async function checkWebhookUrl(
  raw: string,
  policy: WebhookUrlPolicy,
): Promise<{ url: URL } | { errors: FieldError[] }> {
  await loadAddressTable();
  const result = validateWebhookUrl(raw, policy);
  if ('errors' in result || !policy.resolver) return result;
  const host = stripBrackets(result.url.hostname);
  if (parseLiteral(host)) return result;
  const addresses = await policy.resolver.resolve(host);
  if (addresses.some((address) => !addressPermitted(address, policy.allowList, policy.host))) {
    return { errors: [{ path: 'url', message: `${refusedAddress} (the name resolves to one)` }] };
  }
  return result;
}
