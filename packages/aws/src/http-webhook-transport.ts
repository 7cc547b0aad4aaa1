import { promises as dns, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  AddressAllowList,
  addressPermitted,
  type HostAddresses,
  loadAddressTable,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookTransport,
} from '@evidence-portal/core';
import { systemHostAddresses } from './host-network.js';

export interface HttpWebhookTransportOptions {
  /** Addresses that may be called although not public (tests: 127.0.0.1). Empty in AWS. */
  allowList?: AddressAllowList;
  /** http:// targets are accepted only on the local stack and in tests. */
  allowHttp: boolean;
  timeoutMs?: number;
  /** The host's own addresses, refused like private ones; defaults to this machine's interfaces. */
  host?: HostAddresses;
  /** Injectable for tests of the refusal path; defaults to the system resolver. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

const maxResponseBytes = 64 * 1024;

/**
 * POSTs webhooks with the SSRF guard applied at send time: the host is resolved here, every address
 * it resolves to must be public and not this host's own (or allow-listed), and the socket connects to the address that was
 * checked, never to a second resolution, so DNS rebinding cannot swap in a private address.
 * Redirects are not followed (a 3xx is a failed attempt).
 */
export class HttpWebhookTransport implements WebhookTransport {
  private readonly allowList: AddressAllowList;
  private readonly host: HostAddresses;
  private readonly timeoutMs: number;
  private readonly resolve: (hostname: string) => Promise<LookupAddress[]>;

  constructor(private readonly options: HttpWebhookTransportOptions) {
    this.allowList = options.allowList ?? new AddressAllowList();
    this.host = options.host ?? systemHostAddresses;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.resolve = options.resolve ?? ((hostname) => dns.lookup(hostname, { all: true, verbatim: true }));
  }

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { ok: false, error: 'invalid URL' };
    }
    const secure = url.protocol === 'https:';
    if (!secure && !(this.options.allowHttp && url.protocol === 'http:')) {
      return { ok: false, error: `scheme ${url.protocol} refused` };
    }
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: LookupAddress[];
    try {
      const family = isIP(hostname);
      addresses = family !== 0 ? [{ address: hostname, family }] : await this.resolve(hostname);
    } catch (error) {
      return { ok: false, error: `could not resolve host: ${error instanceof Error ? error.message : String(error)}` };
    }
    await loadAddressTable();
    const refused = addresses.filter((a) => !addressPermitted(a.address, this.allowList, this.host));
    const target = addresses[0];
    if (!target || refused.length > 0) {
      return {
        ok: false,
        error: 'host resolves to a private, loopback or link-local address, a special-purpose one or the portal host',
      };
    }
    return this.post(url, secure, target, request);
  }

  private post(url: URL, secure: boolean, target: LookupAddress, request: WebhookRequest): Promise<WebhookResponse> {
    return new Promise((resolve) => {
      const body = Buffer.from(request.body, 'utf8');
      const pinnedLookup = (
        _hostname: string,
        options: { all?: boolean },
        callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
      ) => {
        if (options.all) callback(null, [target]);
        else callback(null, target.address, target.family);
      };
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'Content-Length': String(body.length) },
          lookup: pinnedLookup as never,
          timeout: this.timeoutMs,
        },
        (res) => {
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > maxResponseBytes) res.destroy();
          });
          const finish = () => resolve({ ok: true, status: res.statusCode ?? 0 });
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => resolve({ ok: false, error: error.message }));
      req.end(body);
    });
  }
}
