import { ConflictError, type DomainError, ForbiddenError } from './errors.js';

/**
 * What kind of refusal an error code is. The API maps kinds to HTTP statuses in one place
 * (packages/api/src/problem.ts); core never names a status.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorCodeSpec {
  kind: ErrorKind;
  /** What it means for the caller, and what to do about it (published in the OpenAPI document). */
  description: string;
}

/**
 * A module's error codes: one meaning per code, typed (`C` is the union of the module's codes), listed
 * (`list`) and published in `/api/openapi.json` (`x-error-codes`, and an enum on each response).
 */
export interface ErrorCatalog<C extends string = string> {
  module: string;
  codes: Readonly<Record<C, ErrorCodeSpec>>;
  list: readonly C[];
  /** The error to throw for a conflict or forbidden code of this module. */
  error(code: C, message: string, options?: { cause?: unknown }): DomainError;
}

export function errorCatalog<const C extends string>(module: string, codes: Record<C, ErrorCodeSpec>): ErrorCatalog<C> {
  return {
    module,
    codes,
    list: Object.keys(codes) as C[],
    error(code, message, options) {
      const { kind } = codes[code];
      if (kind === 'conflict') return new ConflictError(message, code, options);
      if (kind === 'forbidden') return new ForbiddenError(message, code, options);
      throw new Error(`error code ${code} is a ${kind}: throw its own error class`);
    },
  };
}

/** The codes of the generic domain errors (errors.ts), which any module may raise. */
export const commonErrors = errorCatalog('common', {
  validation_failed: { kind: 'invalid', description: 'The input breaks a rule; `errors` lists each field path.' },
  not_found: {
    kind: 'not_found',
    description: 'No such object for the caller; another organization’s object answers the same.',
  },
  unauthenticated: { kind: 'unauthenticated', description: 'No valid session: sign in (POST /api/session).' },
  forbidden: { kind: 'forbidden', description: 'Not allowed.' },
  conflict: { kind: 'conflict', description: 'Conflicts with the current state.' },
  concurrent_change: {
    kind: 'conflict',
    description: 'The object changed concurrently more often than the request retries; retry it.',
  },
  condition_failed: { kind: 'conflict', description: 'A concurrent write got there first; read again and retry.' },
  transaction_conflict: { kind: 'conflict', description: 'A concurrent writer touched the same items; retry.' },
  dependency_unavailable: {
    kind: 'unavailable',
    description: 'A backing service (store, KMS, S3) is throttling or failing; retry after `Retry-After`.',
  },
  integrity_check_failed: {
    kind: 'invalid',
    description: 'A cryptographic check failed: wrong key or context, tampered ciphertext or signature.',
  },
});
