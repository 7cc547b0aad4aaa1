import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ArtifactError, artifactErrorResponse } from './artifact-errors.js';
import {
  checkSignedRequest,
  clockSkewMs,
  isRefusal,
  parseSignatureHeader,
  type ReceivedRequest,
  type SignatureRefusal,
  signatureMatches,
} from './sigv4-verification.js';

/** The signing name of the Artifact service model (`signingName: artifact`). */
export const artifactSigningName = 'artifact';

const exceptionOf = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  expired: 'InvalidSignatureException',
  mismatch: 'InvalidSignatureException',
} as const;

const refuse = (refusal: SignatureRefusal) =>
  artifactErrorResponse(new ArtifactError(exceptionOf[refusal.kind], refusal.message));

const mismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

/** The request line and headers as the client signed them: the raw path and query from the URL, before any decoding. */
async function receivedRequest(request: Request): Promise<ReceivedRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  // Behind CloudFront the origin request's Host is the API's; the viewer's (what the client signed) is in this
  // header (stacks/web.ts). A forged value gains nothing: the signature must still match it.
  const viewerHost = headers['x-portal-viewer-host'];
  if (viewerHost) headers.host = viewerHost;
  const body = new Uint8Array(await request.clone().arrayBuffer());
  return { method: request.method, path: url.pathname, query: url.search.replace(/^\?/, ''), headers, body };
}

/**
 * Authenticates every `/artifact` request by its AWS Signature Version 4 before anything else: the
 * header's shape, the signed headers, the date (±5 minutes), the payload hash, the key (active, of an
 * active user: read on every request, so deactivation is immediate), the recomputed signature
 * (constant-time compare) and, last, that this exact signature was not seen within the window (replay).
 * Sets the principal of the key's user; every operation then asks `authorize` like any route.
 */
export function artifactAuthentication(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const header = parseSignatureHeader(c.req.header('authorization'));
    if (isRefusal(header)) return refuse(header);
    let request: ReceivedRequest;
    try {
      request = await receivedRequest(c.req.raw);
      // A malformed percent-escape in the query cannot have been signed by an SDK.
      decodeURIComponent(request.query);
    } catch {
      return refuse({ kind: 'malformed', message: 'The request line cannot be parsed.' });
    }
    const now = deps.clock.now();
    const checked = checkSignedRequest(request, header, { now, service: artifactSigningName });
    if (isRefusal(checked)) return refuse(checked);
    const credentials = await deps.accessKeys.signing.resolve(header.accessKeyId);
    if (!credentials) {
      return artifactErrorResponse(
        new ArtifactError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      );
    }
    if (!(await signatureMatches(request, header, credentials.secretAccessKey, checked.signingDate))) {
      return refuse({ kind: 'mismatch', message: mismatch });
    }
    const fresh = await deps.accessKeys.signing.claimSignature(
      header.signature,
      new Date(checked.signingDate.getTime() + clockSkewMs + 60_000),
    );
    if (!fresh) {
      return refuse({ kind: 'mismatch', message: 'This signature was already used: sign every request anew.' });
    }
    await deps.accessKeys.signing.recordUse(credentials.accessKey, artifactSigningName);
    c.set('principal', credentials.principal);
    await next();
  };
}
