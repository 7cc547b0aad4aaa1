import {
  DependencyAccessDeniedError,
  DependencyUnavailableError,
  DomainError,
  IntegrityError,
  NotFoundError,
  TransactionConflictError,
} from '@evidence-portal/core';

/**
 * Translation of AWS SDK failures into core errors. Messages name the service, the operation and
 * the SDK error's name only: SDK messages can carry ARNs, principals or access key ids, so they
 * stay in `cause` (for logs) and never reach a message a user might see.
 */

type Dependency = 'store' | 'kms' | 's3' | 'mail';

/** An SDK failure no core error describes (a bug or an unexpected API answer): the API answers 500. */
export class UnexpectedDependencyError extends Error {
  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnexpectedDependencyError';
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'SlowDown',
]);

const unavailableNames = new Set([
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const accessDeniedNames = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'Forbidden',
  'DisabledException',
  'KMSInvalidStateException',
]);

/** Node socket failures carry `code`; the SDK never gets an answer, so there is no status. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** Resources the deployment should have created: their absence makes the dependency unusable. */
const missingResourceNames = new Set(['ResourceNotFoundException', 'NoSuchBucket', 'NotFoundException']);

const serviceLabel: Record<Dependency, string> = { store: 'DynamoDB', kms: 'KMS', s3: 'S3', mail: 'SES' };

function isThrottling(error: SdkErrorShape): boolean {
  return (
    throttlingNames.has(error.name ?? '') ||
    error.$retryable?.throttling === true ||
    error.$metadata?.httpStatusCode === 429
  );
}

function isUnavailable(error: SdkErrorShape): boolean {
  const status = error.$metadata?.httpStatusCode;
  return (
    unavailableNames.has(error.name ?? '') ||
    (status !== undefined && status >= 500) ||
    error.$fault === 'server' ||
    networkCodes.has(error.code ?? '')
  );
}

function isAccessDenied(error: SdkErrorShape): boolean {
  return accessDeniedNames.has(error.name ?? '') || error.$metadata?.httpStatusCode === 403;
}

/** Shared classification; service-specific rules run before it. */
function translateCommon(dependency: Dependency, operation: string, error: unknown): Error {
  if (error instanceof DomainError || error instanceof UnexpectedDependencyError) return error;
  const sdk = shape(error);
  const label = `${serviceLabel[dependency]} ${operation}`;
  const what = sdk.name ?? sdk.code ?? 'Error';
  if (isThrottling(sdk)) {
    return new DependencyUnavailableError(dependency, `${label} throttled (${what})`, true, { cause: error });
  }
  if (isAccessDenied(sdk)) {
    return new DependencyAccessDeniedError(dependency, `${label} refused (${what})`, { cause: error });
  }
  if (isUnavailable(sdk)) {
    return new DependencyUnavailableError(dependency, `${label} unavailable (${what})`, true, { cause: error });
  }
  if (missingResourceNames.has(sdk.name ?? '')) {
    // Retrying will not create the table, bucket or key.
    return new DependencyUnavailableError(dependency, `${label}: resource missing (${what})`, false, {
      cause: error,
    });
  }
  return new UnexpectedDependencyError(dependency, `${label} failed (${what})`, { cause: error });
}

/**
 * DynamoDB failures. ConditionalCheckFailed and TransactionCanceled carry per-call meaning and are
 * handled by the store before this runs.
 */
export function translateDynamoError(operation: string, error: unknown): Error {
  const name = shape(error).name;
  if (name === 'TransactionConflictException' || name === 'TransactionInProgressException') {
    return new TransactionConflictError(`DynamoDB ${operation} conflicted with a concurrent transaction`, {
      cause: error,
    });
  }
  return translateCommon('store', operation, error);
}

export function translateKmsError(operation: string, error: unknown): Error {
  const name = shape(error).name;
  if (name === 'InvalidCiphertextException' || name === 'KMSInvalidSignatureException') {
    return new IntegrityError(`KMS ${operation} rejected the ciphertext or signature (${name})`, { cause: error });
  }
  return translateCommon('kms', operation, error);
}

export function translateS3Error(operation: string, error: unknown): Error {
  const sdk = shape(error);
  if (
    sdk.name === 'NoSuchKey' ||
    sdk.name === 'NotFound' ||
    (sdk.$metadata?.httpStatusCode === 404 && sdk.name !== 'NoSuchBucket')
  ) {
    return new NotFoundError('Object not found', { cause: error });
  }
  return translateCommon('s3', operation, error);
}

/** SES v2 failures: sending paused or the sender unverified are outages of mail, not the caller's fault. */
export function translateSesError(operation: string, error: unknown): Error {
  const name = shape(error).name ?? '';
  if (['SendingPausedException', 'AccountSuspendedException', 'MailFromDomainNotVerifiedException'].includes(name)) {
    return new DependencyUnavailableError('mail', `SES ${operation} unavailable (${name})`, false, { cause: error });
  }
  return translateCommon('mail', operation, error);
}

/** True when an error came back from an AWS service (or its transport), rather than our own code. */
export function isSdkError(error: unknown): boolean {
  const sdk = shape(error);
  return sdk.$metadata !== undefined || sdk.$fault !== undefined || networkCodes.has(sdk.code ?? '');
}
