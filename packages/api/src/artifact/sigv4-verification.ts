import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** A signed request as it arrived: the raw (still percent-encoded) path and query, every header, the body. */
export interface ReceivedRequest {
  method: string;
  /** The path exactly as received, percent-encoding intact (`/artifact/tags/arn%3Aaws...`). */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** Header names lowercased. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface SignatureHeader {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Why a request was refused, in the terms AWS uses for each case (the Artifact API answers with them). */
export type SignatureRefusal =
  | { kind: 'missing'; message: string }
  | { kind: 'malformed'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'mismatch'; message: string };

export const emptyPayloadHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** AWS accepts requests whose x-amz-date is within 5 minutes of its clock, either way. */
export const clockSkewMs = 5 * 60_000;

/** node:crypto behind the hash interface @smithy/signature-v4 takes (HMAC when given a key). */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key =
      secret === undefined
        ? undefined
        : typeof secret === 'string'
          ? Buffer.from(secret, 'utf8')
          : ArrayBuffer.isView(secret)
            ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
            : Buffer.from(secret);
    this.hash = key ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string'
        ? Buffer.from(data, 'utf8')
        : ArrayBuffer.isView(data)
          ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
          : Buffer.from(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256 +Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,64})\/aws4_request, *SignedHeaders=([a-z0-9;_.-]+), *Signature=([0-9a-f]{64})$/;
const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses the Authorization header, or says what is wrong with it. */
export function parseSignatureHeader(value: string | undefined): SignatureHeader | SignatureRefusal {
  if (value === undefined || value.trim() === '') return { kind: 'missing', message: 'Missing Authentication Token' };
  const match = authorizationPattern.exec(value.trim());
  if (!match) {
    return {
      kind: 'malformed',
      message:
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature " +
        '(Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request).',
    };
  }
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    shortDate: shortDate as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaderList as string).split(';'),
    signature: signature as string,
  };
}

export const isRefusal = <T extends object>(value: T | SignatureRefusal): value is SignatureRefusal => 'kind' in value;

/** `20150830T123600Z` -> the instant; undefined if malformed. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const match = value ? amzDatePattern.exec(value) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The raw query as the signer saw it: names and values percent-decoded (never `+` -> space), repeated names kept. */
function decodedQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  if (raw === '') return query;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    const existing = query[name];
    query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

export const sha256Hex = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

/**
 * Checks everything about a signed request that needs no secret: the header's shape, the signed
 * header set (host and x-amz-date must be signed, and present), the date (±5 minutes of `now`, and
 * the credential scope's date), the service, and the payload hash header against the body.
 */
export function checkSignedRequest(
  request: ReceivedRequest,
  header: SignatureHeader,
  options: { now: Date; service: string },
): { signingDate: Date } | SignatureRefusal {
  if (header.service !== options.service) {
    return { kind: 'malformed', message: `Credential should be scoped to correct service: '${options.service}'.` };
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!header.signedHeaders.includes(required)) {
      return { kind: 'malformed', message: `'${required}' must be a signed header.` };
    }
  }
  for (const name of header.signedHeaders) {
    if (request.headers[name] === undefined) {
      return { kind: 'malformed', message: `Signed header '${name}' is not in the request.` };
    }
  }
  const signingDate = parseAmzDate(request.headers['x-amz-date']);
  if (!signingDate) return { kind: 'malformed', message: 'X-Amz-Date must be in the form yyyyMMddTHHmmssZ.' };
  if (request.headers['x-amz-date']?.slice(0, 8) !== header.shortDate) {
    return { kind: 'malformed', message: 'Credential should be scoped to the date of X-Amz-Date.' };
  }
  const skew = signingDate.getTime() - options.now.getTime();
  if (Math.abs(skew) > clockSkewMs) {
    const stamp = (date: Date) => date.toISOString().replace(/[-:]|\.\d{3}/g, '');
    return {
      kind: 'expired',
      message:
        skew < 0
          ? `Signature expired: ${stamp(signingDate)} is now earlier than ${stamp(new Date(options.now.getTime() - clockSkewMs))} (${stamp(options.now)} - 5 min.)`
          : `Signature not yet current: ${stamp(signingDate)} is still later than ${stamp(new Date(options.now.getTime() + clockSkewMs))} (${stamp(options.now)} + 5 min.)`,
    };
  }
  const declared = request.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== sha256Hex(request.body)) {
    return { kind: 'mismatch', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  }
  return { signingDate };
}

/**
 * Recomputes the signature with the kept SigV4 implementation (@smithy/signature-v4, as the AWS SDK
 * for JavaScript signs) over exactly the headers the client signed, and compares in constant time.
 * The path is escaped once more for the canonical URI, as every AWS service but S3 does.
 */
export async function signatureMatches(
  request: ReceivedRequest,
  header: SignatureHeader,
  secretAccessKey: string,
  signingDate: Date,
  options: { uriEscapePath?: boolean } = {},
): Promise<boolean> {
  const headers: Record<string, string> = {};
  for (const name of header.signedHeaders) headers[name] = request.headers[name] as string;
  const hostHeader = headers.host ?? '';
  const signer = new SignatureV4({
    credentials: { accessKeyId: header.accessKeyId, secretAccessKey },
    region: header.region,
    service: header.service,
    sha256: NodeSha256,
    uriEscapePath: options.uriEscapePath ?? true,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: hostHeader,
      path: request.path,
      query: decodedQuery(request.query),
      headers,
      body: request.body.byteLength === 0 ? undefined : request.body,
    },
    { signingDate, signableHeaders: new Set(header.signedHeaders) },
  );
  const authorization = String((signed.headers as Record<string, string>).authorization ?? '');
  const expected = /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];
  const signedList = /SignedHeaders=([^,]+),/.exec(authorization)?.[1];
  if (!expected || signedList !== header.signedHeaders.join(';')) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(header.signature, 'hex'));
}
