/**
 * Domain errors. Each has a stable `code`; the API maps them to problem responses in one place
 * (packages/api/src/problem.ts). Adapters translate infrastructure failures into these, so no raw
 * SDK error ever reaches a user.
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that is well-formed JSON but breaks a rule (400). */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The refusals a module's error catalog names (`conflict` and `forbidden` by default): one class per
 * kind, with the code as the catalog states it (error-codes.ts).
 */
function coded<const Fallback extends string>(fallback: Fallback) {
  return class extends DomainError {
    readonly code: string;
    constructor(message: string, code: string = fallback, options?: { cause?: unknown }) {
      super(message, options);
      this.code = code;
    }
  };
}

/** Missing, or belonging to another tenant: the two must look the same (404). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** A state conflict the client can resolve (stale version, already done, token reused) (409). */
export class ConflictError extends coded('conflict') {}

/** A store write whose condition did not hold (optimistic locking, uniqueness). */
export class ConditionFailedError extends DomainError {
  readonly code = 'condition_failed';
  constructor(
    message: string,
    options?: {
      cause?: unknown;
      /** In a transaction: the indexes of the operations whose condition failed (all of them). */
      failedOperations?: readonly number[];
    },
  ) {
    super(message, options);
    this.failedOperations = options?.failedOperations ?? [];
  }
  readonly failedOperations: readonly number[];
}

/** A transaction cancelled because another writer touched the same items concurrently; safe to retry. */
export class TransactionConflictError extends DomainError {
  readonly code = 'transaction_conflict';
}

/** No valid session (401). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
}

/** Authenticated but not allowed (403). */
export class ForbiddenError extends coded('forbidden') {}

/**
 * A dependency (DynamoDB, KMS, S3, mail, the local server's PDF worker threads) is throttling, full
 * or failing; the caller may retry later (503).
 */
export class DependencyUnavailableError extends DomainError {
  readonly code = 'dependency_unavailable';
  constructor(
    readonly dependency: 'store' | 'kms' | 's3' | 'mail' | 'PDF',
    message: string,
    readonly retryable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A dependency refused us: a deployment misconfiguration, never the user's fault (500, no details). */
export class DependencyAccessDeniedError extends DomainError {
  readonly code = 'dependency_access_denied';
  constructor(
    readonly dependency: 'store' | 'kms' | 's3' | 'mail',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Cryptographic check failed: wrong key, wrong context, tampered ciphertext or signature. */
export class IntegrityError extends DomainError {
  readonly code = 'integrity_check_failed';
}

/** Too many requests of one kind by one caller: retry after `retryAfterSeconds` (429 with Retry-After). */
export class RateLimitedError extends DomainError {
  readonly code: string;
  constructor(
    message: string,
    code: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}
