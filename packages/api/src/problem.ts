import {
  ConditionFailedError,
  ConflictError,
  DependencyAccessDeniedError,
  DependencyUnavailableError,
  DomainError,
  type FieldError,
  ForbiddenError,
  IntegrityError,
  LedgerIntegrityFaultError,
  NotFoundError,
  TransactionConflictError,
  UnauthenticatedError,
  ValidationError,
} from '@evidence-portal/core';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemContentType = 'application/problem+json';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:evidence-portal:problem:${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...extensions,
  };
}

/**
 * The one mapping from errors to responses. Domain errors carry their own meaning; anything else is
 * a bug or an outage and is answered 500 without details (it is logged with its stack by onError).
 */
export function problemFromError(error: unknown): { problem: Problem; expected: boolean } {
  if (error instanceof ValidationError) {
    return { problem: problem(400, error.code, error.message, { errors: error.errors }), expected: true };
  }
  if (error instanceof UnauthenticatedError)
    return { problem: problem(401, error.code, error.message), expected: true };
  if (error instanceof ForbiddenError) return { problem: problem(403, error.code, error.message), expected: true };
  if (error instanceof NotFoundError) return { problem: problem(404, error.code, error.message), expected: true };
  if (
    error instanceof ConflictError ||
    error instanceof ConditionFailedError ||
    error instanceof TransactionConflictError
  ) {
    return { problem: problem(409, error.code, error.message), expected: true };
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      problem: problem(503, error.code, `The ${error.dependency} service is temporarily unavailable; retry shortly.`),
      expected: true,
    };
  }
  if (error instanceof LedgerIntegrityFaultError) {
    // The stored ledger contradicts itself: no act can be recorded until an operator looks (issue 16).
    return {
      problem: problem(503, error.code, error.message, {
        fault: { kind: error.fault.kind, reason: error.fault.reason },
      }),
      expected: true,
    };
  }
  if (error instanceof IntegrityError) {
    return { problem: problem(400, error.code, error.message), expected: true };
  }
  if (error instanceof DependencyAccessDeniedError || error instanceof DomainError) {
    return { problem: problem(500, 'internal_error', 'The server could not complete the request.'), expected: false };
  }
  return { problem: problem(500, 'internal_error', 'The server could not complete the request.'), expected: false };
}
