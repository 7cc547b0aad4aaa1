import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import {
  checkSignedRequest,
  isRefusal,
  NodeSha256,
  parseSignatureHeader,
  type ReceivedRequest,
  type SignatureHeader,
  signatureMatches,
} from './sigv4-verification.js';

// The AWS Signature Version 4 test suite's credentials and instant (docs: "Signature Version 4 test suite").
const suiteKey = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const suiteDate = new Date('2015-08-30T12:36:00Z');
const scope = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const emptyHash = createHash('sha256').update('').digest('hex');

function received(
  method: string,
  path: string,
  query: string,
  headers: Record<string, string>,
  body = '',
): ReceivedRequest {
  return { method, path, query, headers, body: new TextEncoder().encode(body) };
}

function header(authorization: string): SignatureHeader {
  const parsed = parseSignatureHeader(authorization);
  if (isRefusal(parsed)) throw new Error(parsed.message);
  return parsed;
}

describe('SigV4 verification against the published test-suite vectors', () => {
  const suiteHeaders = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' };
  const vectors = [
    {
      name: 'get-vanilla',
      request: received('GET', '/', '', suiteHeaders),
      signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    },
    {
      name: 'get-vanilla-query-order-key-case',
      request: received('GET', '/', 'Param2=value2&Param1=value1', suiteHeaders),
      signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    },
    {
      name: 'post-vanilla',
      request: received('POST', '/', '', suiteHeaders),
      signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    },
  ];
  for (const vector of vectors) {
    it(`accepts ${vector.name} and refuses it with one hex digit changed`, async () => {
      const good = header(`AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host;x-amz-date, Signature=${vector.signature}`);
      const flipped = `${vector.signature.slice(0, -1)}${vector.signature.endsWith('0') ? '1' : '0'}`;
      const bad = header(`AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host;x-amz-date, Signature=${flipped}`);

      expect(await signatureMatches(vector.request, good, suiteKey.secretAccessKey, suiteDate)).toBe(true);
      expect(await signatureMatches(vector.request, bad, suiteKey.secretAccessKey, suiteDate)).toBe(false);
    });
  }

  it("accepts S3's documented GET Object example (S3 escapes the path once)", async () => {
    const request = received('GET', '/test.txt', '', {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': emptyHash,
      'x-amz-date': '20130524T000000Z',
    });
    const s3 = header(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );

    const ok = await signatureMatches(
      request,
      s3,
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      new Date('2013-05-24T00:00:00Z'),
      {
        uriEscapePath: false,
      },
    );

    expect(ok).toBe(true);
  });
});

describe('SigV4 request checks', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const signed = (overrides: Partial<Record<string, string>> = {}) =>
    received('GET', '/artifact/v1/report/list', '', {
      host: 'localhost:3000',
      'x-amz-date': '20261201T120000Z',
      ...overrides,
    } as Record<string, string>);
  const authz = (signedHeaders = 'host;x-amz-date', service = 'artifact') =>
    header(
      `AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20261201/us-east-1/${service}/aws4_request, SignedHeaders=${signedHeaders}, Signature=${'0'.repeat(64)}`,
    );

  it('names what is wrong: no header, a malformed one, an unsigned host, another service, skew, a payload hash', () => {
    const kinds = [
      parseSignatureHeader(undefined),
      parseSignatureHeader('AWS4-HMAC-SHA256 Credential=x'),
      checkSignedRequest(signed(), authz('x-amz-date'), { now, service: 'artifact' }),
      checkSignedRequest(signed(), authz('host;x-amz-date', 's3'), { now, service: 'artifact' }),
      checkSignedRequest(signed({ 'x-amz-date': '20261201T115459Z' }), authz(), { now, service: 'artifact' }),
      checkSignedRequest(signed({ 'x-amz-date': '20261201T120501Z' }), authz(), { now, service: 'artifact' }),
      checkSignedRequest(signed({ 'x-amz-content-sha256': 'ab'.repeat(32) }), authz(), { now, service: 'artifact' }),
    ].map((answer) => ('kind' in answer ? answer.kind : 'accepted'));

    expect(kinds).toEqual(['missing', 'malformed', 'malformed', 'malformed', 'expired', 'expired', 'mismatch']);
    expect(
      checkSignedRequest(signed({ 'x-amz-date': '20261201T120459Z' }), authz(), { now, service: 'artifact' }),
    ).toEqual({
      signingDate: new Date('2026-12-01T12:04:59Z'),
    });
  });
});

describe('SigV4 properties: any change to what was signed is refused', () => {
  const runs = inject('tier') === 'soak' ? 1000 : 40;
  const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNl';
  const signingDate = new Date('2026-12-01T12:00:00Z');
  const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/artifact/${parts.join('/')}`),
    query: fc.array(fc.tuple(segment, segment), { maxLength: 3 }),
    extra: fc.stringMatching(/^[ -~]{1,20}$/),
    body: fc.string({ maxLength: 40 }),
  });

  /** Signs with the SDK's signer as a client would (the verifier rebuilds the request from what arrived). */
  async function sign(input: {
    method: string;
    path: string;
    query: Array<[string, string]>;
    extra: string;
    body: string;
  }): Promise<{ received: ReceivedRequest; header: SignatureHeader }> {
    const query: Record<string, string> = {};
    for (const [name, value] of input.query) query[name] = value;
    const headers = { host: 'localhost:3000', 'x-portal-extra': input.extra.trim() || 'x' };
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: secret },
      region: 'us-east-1',
      service: 'artifact',
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const body = input.body === '' ? undefined : input.body;
    const signed = await signer.sign(
      { method: input.method, protocol: 'http:', hostname: 'localhost:3000', path: input.path, query, headers, body },
      { signingDate },
    );
    const all = signed.headers as Record<string, string>;
    const raw = Object.entries(query)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    return {
      received: {
        method: input.method,
        path: input.path,
        query: raw,
        headers: Object.fromEntries(Object.entries(all).map(([name, value]) => [name.toLowerCase(), value])),
        body: new TextEncoder().encode(input.body),
      },
      header: header(all.authorization as string),
    };
  }

  it('verifies what the SDK signed, and refuses a changed method, path, query, signed header or body', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.nat(4), async (input, which) => {
        const { received: original, header: h } = await sign(input);
        expect(await signatureMatches(original, h, secret, signingDate)).toBe(true);
        const headers: Record<string, string> = { ...original.headers };
        const changed: ReceivedRequest = { ...original, headers };
        if (which === 0) changed.method = original.method === 'GET' ? 'POST' : 'GET';
        if (which === 1) changed.path = `${original.path}x`;
        if (which === 2) changed.query = original.query === '' ? 'a=b' : `${original.query}x`;
        if (which === 3) headers['x-portal-extra'] = `${original.headers['x-portal-extra']}!`;
        if (which === 4) changed.body = new TextEncoder().encode(`${input.body}.`);
        expect(await signatureMatches(changed, h, secret, signingDate)).toBe(false);
      }),
      { numRuns: runs },
    );
  });
});
