import { BlockList, isIP } from 'node:net';
import type { FieldError } from '../errors.js';

/**
 * SSRF guard for webhook targets. A URL is refused when it is not https in AWS, carries credentials,
 * or names (literally, or by DNS at send time) an address that is not public: private, loopback,
 * link-local, unspecified, carrier-grade NAT, multicast, reserved. An explicit allow-list of
 * addresses or CIDRs (tests use 127.0.0.1) overrides the address check, nothing else.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // unspecified / "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including the cloud metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach any IPv4 address, private ones included
  ['2002::', 16], // 6to4 embeds an IPv4 address too
  ['::', 96], // IPv4-compatible (deprecated) embeds an IPv4 address
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** Addresses or CIDRs (`127.0.0.1`, `127.0.0.0/8`, `::1`) that may be called despite the rules. */
export class AddressAllowList {
  private readonly list = new BlockList();
  readonly entries: readonly string[];
  constructor(entries: readonly string[] = []) {
    this.entries = entries;
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
      if (!family) throw new Error(`allow-list entry ${entry} is not an IP address or CIDR`);
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
  }
  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True for any address that is not a routable public one. Non-IP input is refused too. */
export function isForbiddenAddress(address: string): boolean {
  const bare = stripBrackets(address);
  const family = isIP(bare);
  if (family === 0) return true;
  return forbidden.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** May this resolved address be connected to? */
export function addressPermitted(address: string, allowList: AddressAllowList): boolean {
  return allowList.allows(stripBrackets(address)) || !isForbiddenAddress(address);
}

export interface WebhookUrlPolicy {
  /** `local` and `test` may use http; every other stage (AWS) needs https. */
  stage: string;
  allowList: AddressAllowList;
}

export function stageAllowsHttp(stage: string): boolean {
  return stage === 'local' || stage === 'test';
}

const localNames = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;

/**
 * Checks what can be checked without DNS: scheme, credentials, port, and an IP literal or an obviously
 * local name. Names are resolved and checked again at send time (see the webhook transport), which is
 * what actually stops DNS tricks.
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
  if (isIP(host) !== 0) {
    if (!addressPermitted(host, policy.allowList))
      return refuse('must not target a private, loopback or link-local address');
    return { url };
  }
  if (localNames.test(host.replace(/\.$/, '')) || !host.includes('.')) {
    return refuse('must name a public host');
  }
  return { url };
}
