import type { Context } from 'hono';
import { problemFromError } from '../problem.js';

/** The error names of the Artifact model (and of AWS's common signature errors), with their statuses. */
export const artifactExceptions = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 402,
  InternalServerException: 500,
  // AWS's authentication errors, answered before any operation runs.
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  UnknownOperationException: 404,
} as const;

export type ArtifactExceptionName = keyof typeof artifactExceptions;

/** An Artifact-shaped refusal: `x-amzn-ErrorType` names it, the body is `{message, ...members}`. */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
  constructor(
    readonly exception: ArtifactExceptionName,
    message: string,
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function artifactErrorResponse(error: ArtifactError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ message: error.message, ...error.members }), {
    status: artifactExceptions[error.exception],
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.exception,
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

/**
 * The one translation of portal errors into Artifact ones: the portal's status (problem.ts, the one
 * error->status map) decides the exception; the message is the problem's detail, never a stack.
 */
export function toArtifactError(error: unknown, c: Context): Response {
  if (error instanceof ArtifactError) return artifactErrorResponse(error);
  const { problem, expected, headers } = problemFromError(error);
  const logger = c.get('logger');
  if (!expected) {
    logger?.log('error', 'unhandled error', {
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
  } else {
    logger?.log('info', 'request refused', { code: problem.code, status: problem.status, api: 'artifact' });
  }
  // Access keys never carry MFA: say how to get credentials that do (docs/artifact-api.md, GetSessionToken).
  const detail =
    problem.code === 'mfa_required'
      ? 'This act needs MFA, which access keys never carry: sign it with temporary credentials from STS GetSessionToken ' +
        '(endpoint …/artifact/sts, SerialNumber arn:portal:<orgId>::mfa/<userId>, TokenCode = your current MFA code).'
      : (problem.detail ?? problem.title);
  const byStatus: Record<number, ArtifactExceptionName> = {
    400: 'ValidationException',
    401: 'AccessDeniedException',
    403: 'AccessDeniedException',
    404: 'ResourceNotFoundException',
    409: 'ConflictException',
    413: 'ValidationException',
    415: 'ValidationException',
    429: 'ThrottlingException',
  };
  const exception: ArtifactExceptionName =
    byStatus[problem.status] ?? (problem.status === 503 ? 'ThrottlingException' : 'InternalServerException');
  const fieldErrors = (problem as { errors?: Array<{ path: string; message: string }> }).errors;
  const message =
    exception === 'InternalServerException' && !expected
      ? 'An internal error occurred.'
      : fieldErrors
        ? `${detail} ${fieldErrors.map((field) => `${field.path}: ${field.message}`).join('; ')}`
        : detail;
  const members: Record<string, unknown> = {};
  if (exception === 'ValidationException') {
    members.reason = fieldErrors ? 'fieldValidationFailed' : 'invalidParameter';
    if (fieldErrors) members.fieldList = fieldErrors.map((field) => ({ name: field.path, message: field.message }));
  }
  const retryAfter = headers?.['Retry-After'];
  if (retryAfter && exception === 'ThrottlingException') members.retryAfterSeconds = Number(retryAfter);
  return artifactErrorResponse(
    new ArtifactError(exception, message, members),
    retryAfter ? { 'retry-after': retryAfter } : {},
  );
}
