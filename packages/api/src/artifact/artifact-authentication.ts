import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ArtifactError, artifactErrorResponse } from './artifact-errors.js';
import {
  checkSignedRequest,
  clockSkewMs,
  isRefusal,
  parseSignatureHeader,
  type ReceivedRequest,
  signatureMatches,
} from './sigv4-verification.js';

/** The signing name of the Artifact service model (`signingName: artifact`). */
export const artifactSigningName = 'artifact';

/** Why a signed request was refused before any operation ran, as AWS distinguishes the cases. */
export type AuthenticationFailure = 'missing' | 'malformed' | 'expired' | 'mismatch' | 'unrecognized';

/** How a service answers an authentication failure (Artifact: JSON + x-amzn-ErrorType; STS: XML). */
export type RefusalRenderer = (failure: AuthenticationFailure, message: string) => Response;

const artifactExceptionOf = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  expired: 'InvalidSignatureException',
  mismatch: 'InvalidSignatureException',
  unrecognized: 'UnrecognizedClientException',
} as const;

const artifactRefusal: RefusalRenderer = (failure, message) =>
  artifactErrorResponse(new ArtifactError(artifactExceptionOf[failure], message));

const mismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

/** The request line and headers as the client signed them: the raw path and query from the URL, before any decoding. */
async function receivedRequest(c: Context<AppEnv>): Promise<ReceivedRequest> {
  const request = c.req.raw;
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  // Behind CloudFront the origin request's Host is the API's; the viewer's (what the client signed) is in this
  // header (stacks/web.ts). A forged value gains nothing: the signature must still match it.
  const viewerHost = headers['x-portal-viewer-host'];
  if (viewerHost) headers.host = viewerHost;
  // Through hono's body cache: the body guards may have read the text already.
  const body = request.body ? new Uint8Array(await c.req.arrayBuffer()) : new Uint8Array();
  return { method: request.method, path: url.pathname, query: url.search.replace(/^\?/, ''), headers, body };
}

/**
 * Authenticates every request by its AWS Signature Version 4 before anything else: the header's shape,
 * the signed headers, the date (±5 minutes), the payload hash, the credentials — a long-term key
 * (active, of an active user), or temporary credentials from GetSessionToken (`x-amz-security-token`,
 * signed, unexpired, of a key and user still active): read on every request, so deactivation is
 * immediate — the recomputed signature (constant-time compare) and, last, that this exact signature was
 * not seen within the window (replay). Sets the principal of the key's user (MFA present only for
 * temporary credentials issued with an MFA code); every operation then asks `authorize` like any route.
 */
export function signedRequestAuthentication(
  service: string,
  refuse: RefusalRenderer = artifactRefusal,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const header = parseSignatureHeader(c.req.header('authorization'));
    if (isRefusal(header)) return refuse(header.kind, header.message);
    let request: ReceivedRequest;
    try {
      request = await receivedRequest(c);
      // A malformed percent-escape in the query cannot have been signed by an SDK.
      decodeURIComponent(request.query);
    } catch {
      return refuse('malformed', 'The request line cannot be parsed.');
    }
    const now = deps.clock.now();
    const checked = checkSignedRequest(request, header, { now, service });
    if (isRefusal(checked)) return refuse(checked.kind, checked.message);
    const sessionToken = request.headers['x-amz-security-token'];
    if (sessionToken !== undefined && !header.signedHeaders.includes('x-amz-security-token')) {
      return refuse('malformed', "'x-amz-security-token' must be a signed header.");
    }
    const credentials =
      sessionToken === undefined
        ? await deps.accessKeys.signing.resolve(header.accessKeyId)
        : await deps.accessKeys.resolveSessionCredentials(header.accessKeyId, sessionToken);
    if (!credentials) return refuse('unrecognized', 'The security token included in the request is invalid.');
    if (!(await signatureMatches(request, header, credentials.secretAccessKey, checked.signingDate))) {
      return refuse('mismatch', mismatch);
    }
    const fresh = await deps.accessKeys.signing.claimSignature(
      header.signature,
      new Date(checked.signingDate.getTime() + clockSkewMs + 60_000),
    );
    if (!fresh) return refuse('mismatch', 'This signature was already used: sign every request anew.');
    await deps.accessKeys.signing.recordUse(credentials.accessKey, service);
    c.set('principal', credentials.principal);
    c.set('signer', credentials);
    await next();
  };
}

/** The Artifact API's authentication (signing name `artifact`, Artifact-shaped refusals). */
export const artifactAuthentication = () => signedRequestAuthentication(artifactSigningName);
