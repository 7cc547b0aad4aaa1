import { describe, expect, it } from 'vitest';
import { AddressAllowList, addressPermitted, isForbiddenAddress, validateWebhookUrl } from './webhook-url.js';

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
