import { beforeAll, describe, expect, it } from 'vitest';
import {
  AddressAllowList,
  addressPermitted,
  checkWebhookUrl,
  isForbiddenAddress,
  loadAddressTable,
  validateWebhookUrl,
} from './webhook-url.js';

beforeAll(loadAddressTable);

const aws = { stage: 'prod', allowList: new AddressAllowList() };
const local = { stage: 'test', allowList: new AddressAllowList() };
const testAllow = { stage: 'test', allowList: new AddressAllowList(['127.0.0.1']) };

function refused(url: string, policy = aws): string | undefined {
  const result = validateWebhookUrl(url, policy);
  return 'errors' in result ? result.errors[0]?.message : undefined;
}

describe('webhook URL validator (no traffic: pure checks)', () => {
  it('accepts a public https URL', () => {
    expect(refused('https://hooks.example.com/evidence?x=1')).toBeUndefined();
    expect(refused('https://93.184.216.34/hook')).toBeUndefined();
    expect(refused('https://[2606:2800:220:1:248:1893:25c8:1946]/hook')).toBeUndefined();
  });

  it('refuses http in AWS and allows it only on the local stack and in tests', () => {
    expect(refused('http://hooks.example.com/x')).toBe('must be https');
    expect(refused('http://hooks.example.com/x', local)).toBeUndefined();
    expect(refused('ftp://hooks.example.com/x', local)).toBe('must be http or https');
  });

  it('refuses private-range addresses', () => {
    for (const host of [
      '10.0.0.1',
      '10.255.255.255',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.1',
      '[fd12:3456::1]',
      '[fc00::1]',
    ]) {
      expect(refused(`https://${host}/hook`), host).toMatch(/private, loopback or link-local/);
    }
  });

  it('refuses loopback, link-local (incl. the metadata service) and unspecified addresses', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '[::1]',
      '169.254.169.254',
      '[fe80::1]',
      '0.0.0.0',
      '[::]',
      '100.64.0.1',
    ]) {
      expect(refused(`https://${host}/hook`), host).toMatch(/private, loopback or link-local/);
    }
  });

  it('sees through alternative spellings and IPv4 embedded in IPv6', () => {
    for (const host of [
      '2130706433',
      '0x7f.1',
      '017700000001',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '[64:ff9b::a00:1]',
    ]) {
      expect(refused(`https://${host}/hook`), host).toMatch(/private, loopback or link-local/);
    }
  });

  it('refuses obviously local names, credentials and fragments', () => {
    expect(refused('https://localhost/hook')).toBe('must name a public host');
    expect(refused('https://api.localhost/hook')).toBe('must name a public host');
    expect(refused('https://metadata.google.internal/hook')).toBe('must name a public host');
    expect(refused('https://intranet/hook')).toBe('must name a public host');
    expect(refused('https://user:secret@hooks.example.com/')).toBe('must not contain credentials');
    expect(refused('https://hooks.example.com/#frag')).toBe('must not contain a fragment');
    expect(refused('not a url')).toBe('not an absolute URL');
  });

  it('lets the explicit allow-list through, and nothing beyond it', () => {
    expect(refused('http://127.0.0.1:8080/hook', testAllow)).toBeUndefined();
    expect(refused('http://127.0.0.2:8080/hook', testAllow)).toMatch(/private, loopback or link-local/);
    expect(refused('http://10.0.0.1/hook', testAllow)).toMatch(/private, loopback or link-local/);
    expect(addressPermitted('127.0.0.1', testAllow.allowList)).toBe(true);
    expect(addressPermitted('::1', testAllow.allowList)).toBe(false);
    expect(new AddressAllowList(['127.0.0.0/8']).allows('127.9.9.9')).toBe(true);
    expect(() => new AddressAllowList(['localhost'])).toThrow(/not an IP address/);
  });

  it('classifies addresses for the send-time check', () => {
    expect(isForbiddenAddress('8.8.8.8')).toBe(false);
    expect(isForbiddenAddress('2001:4860:4860::8888')).toBe(false);
    expect(isForbiddenAddress('192.168.0.10')).toBe(true);
    expect(isForbiddenAddress('::ffff:10.0.0.1')).toBe(true);
    expect(isForbiddenAddress('not-an-ip')).toBe(true);
  });
});

/**
 * Issue 15, item 14: one address from every entry of the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and its updates), and the embedded-IPv4 forms that reach them. The guard must refuse
 * each one as a URL literal and as a resolved address; ordinary public addresses stay accepted.
 */
const specialPurpose: Array<[address: string, entry: string]> = [
  ['0.0.0.1', '0.0.0.0/8 "this network"'],
  ['10.1.2.3', '10.0.0.0/8 private-use'],
  ['100.100.0.1', '100.64.0.0/10 shared address space'],
  ['127.0.0.2', '127.0.0.0/8 loopback'],
  ['169.254.10.10', '169.254.0.0/16 link local'],
  ['172.20.0.1', '172.16.0.0/12 private-use'],
  ['192.0.0.9', '192.0.0.0/24 IETF protocol assignments (PCP anycast)'],
  ['192.0.0.170', '192.0.0.170/32 NAT64/DNS64 discovery'],
  ['192.0.2.10', '192.0.2.0/24 TEST-NET-1'],
  ['192.31.196.1', '192.31.196.0/24 AS112-v4'],
  ['192.52.193.1', '192.52.193.0/24 AMT'],
  ['192.88.99.1', '192.88.99.0/24 deprecated 6to4 relay anycast'],
  ['192.168.0.1', '192.168.0.0/16 private-use'],
  ['192.175.48.1', '192.175.48.0/24 direct delegation AS112 service'],
  ['198.18.0.1', '198.18.0.0/15 benchmarking'],
  ['198.51.100.7', '198.51.100.0/24 TEST-NET-2'],
  ['203.0.113.7', '203.0.113.0/24 TEST-NET-3'],
  ['224.0.0.1', '224.0.0.0/4 multicast'],
  ['240.0.0.1', '240.0.0.0/4 reserved'],
  ['255.255.255.255', '255.255.255.255/32 limited broadcast'],
  ['::1', '::1/128 loopback'],
  ['::', '::/128 unspecified'],
  ['::ffff:10.0.0.1', '::ffff:0:0/96 IPv4-mapped (of private)'],
  ['::ffff:a00:1', '::ffff:0:0/96 IPv4-mapped, hex spelling'],
  ['::ffff:192.0.2.1', '::ffff:0:0/96 IPv4-mapped (of TEST-NET-1)'],
  ['::a00:1', '::/96 IPv4-compatible (deprecated)'],
  ['::ffff:0:a00:1', '::ffff:0:0:0/96 IPv4-translated (RFC 6145)'],
  ['64:ff9b::a00:1', '64:ff9b::/96 IPv4/IPv6 translation (of private)'],
  ['64:ff9b::c000:201', '64:ff9b::/96 IPv4/IPv6 translation (of TEST-NET-1)'],
  ['64:ff9b:1::1', '64:ff9b:1::/48 local-use IPv4/IPv6 translation'],
  ['100::1', '100::/64 discard-only'],
  ['2001::1', '2001::/32 TEREDO (in 2001::/23 IETF protocol assignments)'],
  ['2001:1::1', '2001:1::1/128 port control protocol anycast'],
  ['2001:1::2', '2001:1::2/128 traversal using relays around NAT anycast'],
  ['2001:2::1', '2001:2::/48 benchmarking'],
  ['2001:3::1', '2001:3::/32 AMT'],
  ['2001:4:112::1', '2001:4:112::/48 AS112-v6'],
  ['2001:10::1', '2001:10::/28 deprecated ORCHID'],
  ['2001:20::1', '2001:20::/28 ORCHIDv2'],
  ['2001:30::1', '2001:30::/28 drone remote ID protocol entity tags'],
  ['2001:1ff::1', '2001::/23 IETF protocol assignments (rest of the block)'],
  ['2001:db8::1', '2001:db8::/32 documentation'],
  ['3fff::1', '3fff::/20 documentation'],
  ['2002:a00:1::1', '2002::/16 6to4'],
  ['2620:4f:8000::1', '2620:4f:8000::/48 direct delegation AS112 service'],
  ['5f00::1', '5f00::/16 segment routing SIDs'],
  ['fc00::1', 'fc00::/7 unique-local'],
  ['fd00:ec2::254', 'fc00::/7 unique-local (the EC2 IPv6 metadata service)'],
  ['fe80::1', 'fe80::/10 link-local unicast'],
  ['fec0::1', 'fec0::/10 deprecated site-local'],
  ['ff02::1', 'ff00::/8 multicast'],
  ['4000::1', 'outside 2000::/3 global unicast (unassigned)'],
];

describe('the IANA special-purpose address registries (issue 15, item 14)', () => {
  it.each(specialPurpose)('refuses %s (%s) as a URL literal and as a resolved address', (address) => {
    const literal = address.includes(':') ? `[${address}]` : address;
    expect(refused(`https://${literal}/hook`), address).toMatch(/private, loopback or link-local/);
    expect(isForbiddenAddress(address), address).toBe(true);
    expect(addressPermitted(address, new AddressAllowList()), address).toBe(false);
  });

  it('keeps ordinary public addresses, IPv4-mapped ones included', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isForbiddenAddress(address), address).toBe(false);
      expect(refused(`https://${address.includes(':') ? `[${address}]` : address}/hook`), address).toBeUndefined();
    }
  });
});

describe("the portal host's own addresses and names resolving to refused ones (issue 15, item 14)", () => {
  // A public address the host holds (an EC2 instance or a laptop with a public interface), in two spellings.
  const host = { own: () => ['198.18.0.9', '93.184.216.40', '2606:4700:10::6816:1'] };
  const policy = { ...aws, host };

  it("refuses the host's own non-loopback addresses, however spelled", () => {
    expect(refused('https://93.184.216.40/hook', policy)).toMatch(/portal host/);
    expect(refused('https://[::ffff:93.184.216.40]/hook', policy)).toMatch(/portal host/);
    expect(refused('https://[2606:4700:10:0:0:0:6816:1]/hook', policy)).toMatch(/portal host/);
    expect(addressPermitted('93.184.216.40', aws.allowList, host)).toBe(false);
    expect(addressPermitted('93.184.216.41', aws.allowList, host)).toBe(true);
    // Without the host port (the validator alone) the same address is an ordinary public one.
    expect(refused('https://93.184.216.40/hook')).toBeUndefined();
  });

  it('refuses at validation a name that resolves to a refused address, and keeps one resolving to public ones', async () => {
    const answers: Record<string, string[]> = {
      'testnet.example.com': ['203.0.113.7'],
      'mapped.example.com': ['::ffff:10.0.0.1'],
      'mixed.example.com': ['93.184.216.34', '2001:db8::1'],
      'self.example.com': ['93.184.216.40'],
      'public.example.com': ['93.184.216.34', '2606:4700:4700::1111'],
      'unresolvable.example.com': [],
    };
    const resolving = { ...policy, resolver: { resolve: async (name: string) => answers[name] ?? [] } };
    const check = async (name: string) => {
      const result = await checkWebhookUrl(`https://${name}/hook`, resolving);
      return 'errors' in result ? result.errors[0]?.message : undefined;
    };
    for (const name of ['testnet.example.com', 'mapped.example.com', 'mixed.example.com', 'self.example.com']) {
      expect(await check(name), name).toMatch(/the name resolves to one/);
    }
    // An unresolvable name is saved: delivery resolves it again and refuses then (see the webhook transport).
    expect(await check('public.example.com')).toBeUndefined();
    expect(await check('unresolvable.example.com')).toBeUndefined();
  });
});
