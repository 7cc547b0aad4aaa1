import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { problemFromError } from '../problem.js';
import { type AuthenticationFailure, signedRequestAuthentication } from './artifact-authentication.js';

/** Where the STS-compatible endpoint is served: beside the Artifact API, so whatever routes `/artifact` routes it. */
export const stsBasePath = '/artifact/sts';
/** STS's signing name and XML namespace (botocore's sts/2011-06-15 model, query protocol). */
export const stsSigningName = 'sts';
const xmlns = 'https://sts.amazonaws.com/doc/2011-06-15/';

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch] ?? ch,
  );

/** STS's error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
function stsError(status: number, code: string, message: string, requestId = crypto.randomUUID()): Response {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return new Response(
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    { status, headers: { 'content-type': 'text/xml', 'cache-control': 'no-store', 'x-amzn-requestid': requestId } },
  );
}

/** AWS's authentication error codes as STS (query protocol) names them. */
const stsRefusal = (failure: AuthenticationFailure, message: string) =>
  ({
    missing: stsError(403, 'MissingAuthenticationToken', message),
    malformed: stsError(400, 'IncompleteSignature', message),
    expired: stsError(403, 'SignatureDoesNotMatch', message),
    mismatch: stsError(403, 'SignatureDoesNotMatch', message),
    unrecognized: stsError(403, 'InvalidClientTokenId', message),
  })[failure];

/** A portal refusal in STS's terms: wrong MFA codes and forbidden acts are AccessDenied, as STS answers them. */
function toStsError(error: unknown, c: Context<AppEnv>): Response {
  const { problem, expected } = problemFromError(error);
  const logger = c.get('logger');
  if (!expected) {
    logger?.log('error', 'unhandled error', {
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
    return stsError(500, 'InternalFailure', 'An internal error occurred.');
  }
  logger?.log('info', 'request refused', { code: problem.code, status: problem.status, api: 'sts' });
  const detail = problem.detail ?? problem.title;
  if (problem.status === 429) return stsError(400, 'Throttling', 'Rate exceeded');
  if (problem.status === 400) {
    const fields = (problem as { errors?: Array<{ path: string; message: string }> }).errors ?? [];
    return stsError(400, 'ValidationError', [detail, ...fields.map((f) => `${f.path}: ${f.message}`)].join(' '));
  }
  if (problem.status === 401 || problem.status === 403) return stsError(403, 'AccessDenied', detail);
  return stsError(problem.status, 'InvalidRequest', detail);
}

/** The form parameters of a query-protocol request (POST body, or the query string of a GET). */
async function queryParameters(c: Context<AppEnv>): Promise<URLSearchParams> {
  if (c.req.method === 'GET') return new URL(c.req.url).searchParams;
  return new URLSearchParams(await c.req.text());
}

/**
 * An STS-compatible endpoint for the one STS operation the portal needs: `GetSessionToken`, so a script
 * holding an access key gets short-lived credentials carrying MFA (SerialNumber = the user's MFA device,
 * `arn:portal:<orgId>::mfa/<userId>`; TokenCode = the current TOTP code) for the Artifact acts that need
 * it (AcceptAgreement, TerminateAgreement). `boto3.client('sts', endpoint_url='…/artifact/sts')` works.
 * Signed with SigV4 (signing name `sts`) like any STS call; only long-term keys may call it.
 */
export function stsApp() {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => toStsError(error, c));
  app.use('*', signedRequestAuthentication(stsSigningName, stsRefusal));
  app.on(['GET', 'POST'], '*', async (c) => {
    const parameters = await queryParameters(c);
    const action = parameters.get('Action');
    if (action !== 'GetSessionToken') {
      return stsError(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint.`);
    }
    const signer = c.get('signer');
    if (!signer) return stsError(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
    const optional = (name: string) => parameters.get(name) ?? undefined;
    const durationSeconds = optional('DurationSeconds');
    const serialNumber = optional('SerialNumber');
    const tokenCode = optional('TokenCode');
    const issued = await c.get('deps').accessKeys.issueSessionCredentials(signer, {
      ...(durationSeconds !== undefined ? { durationSeconds: durationSeconds as unknown as number } : {}),
      ...(serialNumber !== undefined ? { serialNumber } : {}),
      ...(tokenCode !== undefined ? { tokenCode } : {}),
    });
    const requestId = c.get('requestId') ?? crypto.randomUUID();
    return new Response(
      `<GetSessionTokenResponse xmlns="${xmlns}"><GetSessionTokenResult><Credentials>` +
        `<AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(issued.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${escapeXml(issued.sessionToken)}</SessionToken><Expiration>${issued.expiration}</Expiration>` +
        `</Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetSessionTokenResponse>`,
      {
        status: 200,
        headers: { 'content-type': 'text/xml', 'cache-control': 'no-store', 'x-amzn-requestid': requestId },
      },
    );
  });
  return app;
}
