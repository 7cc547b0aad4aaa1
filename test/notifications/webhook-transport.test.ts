import { HttpWebhookTransport } from '@evidence-portal/aws';
import { AddressAllowList } from '@evidence-portal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalReceiver } from './local-receiver.js';

describe('HttpWebhookTransport (loopback only)', () => {
  let receiver: Awaited<ReturnType<typeof startLocalReceiver>>;
  beforeAll(async () => {
    receiver = await startLocalReceiver((request) => (request.path === '/fail' ? 500 : 204));
  });
  afterAll(async () => {
    await receiver.close();
  });

  const request = (url: string) => ({ url, body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });

  it('refuses loopback when it is not allow-listed, before connecting', async () => {
    // prepare
    const transport = new HttpWebhookTransport({ allowHttp: true });
    const before = receiver.received.length;
    // act
    const result = await transport.send(request(receiver.url));
    // assert
    expect(result).toEqual({
      ok: false,
      error: 'host resolves to a private, loopback or link-local address, a special-purpose one or the portal host',
    });
    expect(receiver.received.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, and one resolving to any private address among public ones', async () => {
    const resolves: Record<string, string[]> = {
      'rebind.example.com': ['10.0.0.5'],
      'mixed.example.com': ['93.184.216.34', '169.254.169.254'],
    };
    const transport = new HttpWebhookTransport({
      allowHttp: false,
      resolve: async (hostname) => (resolves[hostname] ?? []).map((address) => ({ address, family: 4 })),
    });
    for (const host of Object.keys(resolves)) {
      const result = await transport.send(request(`https://${host}/hook`));
      expect(result.ok, host).toBe(false);
    }
  });

  it('refuses at send time, after DNS, special-purpose ranges and the portal host addresses (rebinding after validation)', async () => {
    // The names were public when saved; at delivery they resolve to a TEST-NET, a mapped private address, a
    // NAT64 form of the metadata service, documentation space, and the portal host's own public address.
    const resolves: Record<string, Array<{ address: string; family: number }>> = {
      'testnet.example.com': [{ address: '198.51.100.7', family: 4 }],
      'mapped.example.com': [{ address: '::ffff:a00:1', family: 6 }],
      'nat64.example.com': [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
      'docs.example.com': [{ address: '2001:db8::1', family: 6 }],
      'self.example.com': [{ address: '93.184.216.40', family: 4 }],
    };
    const transport = new HttpWebhookTransport({
      allowHttp: false,
      host: { own: () => ['93.184.216.40'] },
      resolve: async (hostname) => resolves[hostname] ?? [],
    });
    for (const host of Object.keys(resolves)) {
      expect(await transport.send(request(`https://${host}/hook`)), host).toMatchObject({
        ok: false,
        error: expect.stringMatching(/special-purpose one or the portal host/),
      });
    }
  });

  it('refuses http outside the local stack', async () => {
    const transport = new HttpWebhookTransport({ allowHttp: false, allowList: new AddressAllowList(['127.0.0.1']) });
    expect(await transport.send(request(receiver.url))).toEqual({ ok: false, error: 'scheme http: refused' });
  });

  it('connects to the address it validated (a name pinned to an allow-listed 127.0.0.1), keeping the Host header', async () => {
    // prepare: the name resolves once, to the allow-listed loopback receiver
    let lookups = 0;
    const transport = new HttpWebhookTransport({
      allowHttp: true,
      allowList: new AddressAllowList(['127.0.0.1']),
      resolve: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    // act
    const result = await transport.send(request(`http://hooks.example.com:${receiver.port}/pinned`));
    // assert
    expect(result).toEqual({ ok: true, status: 204 });
    expect(lookups).toBe(1);
    const last = receiver.received.at(-1);
    expect(last?.path).toBe('/pinned');
    expect(last?.headers.host).toBe(`hooks.example.com:${receiver.port}`);
    expect(last?.body).toBe('{"a":1}');
  });

  it('reports a receiver error status as an answer, not a transport failure', async () => {
    const transport = new HttpWebhookTransport({ allowHttp: true, allowList: new AddressAllowList(['127.0.0.1']) });
    expect(await transport.send(request(receiver.url.replace('/hook', '/fail')))).toEqual({ ok: true, status: 500 });
  });
});
