import {
  ConditionFailedError,
  ConflictError,
  DependencyUnavailableError,
  type ErrorKind,
  type FieldError,
  ForbiddenError,
  IntegrityError,
  identityErrors,
  LedgerIntegrityFaultError,
  NotFoundError,
  RateLimitedError,
  SignInRefusedError,
  TransactionConflictError,
  UnauthenticatedError,
  ValidationError,
} from '@evidence-portal/core';
import { HTTPException } from 'hono/http-exception';

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

/** A refusal as the client receives it: the problem, and headers it carries (`Retry-After`). */
export interface ProblemAnswer {
  problem: Problem;
  /** A refusal the API meant to give (logged at info); false for bugs and outages (logged with the stack). */
  expected: boolean;
  headers: Record<string, string>;
}

const answer = (body: Problem, headers: Record<string, string> = {}): ProblemAnswer => ({
  problem: body,
  expected: true,
  headers,
});

/** The HTTP status of each kind of refusal: the one table that turns a catalogued code into a status. */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/**
 * The one mapping from errors to responses (and the only place that decides a status from an error).
 * Domain errors carry their own meaning; hono's own refusals (malformed JSON, ...) keep theirs;
 * anything else is a bug or an outage and is answered 500 without details (onError logs its stack).
 */
export function problemFromError(error: unknown): ProblemAnswer {
  if (error instanceof HTTPException) {
    const status = error.status;
    const code = status === 400 ? 'malformed_request' : status === 401 ? 'unauthenticated' : 'http_error';
    return answer(problem(status, code, error.message || 'The request could not be processed.'));
  }
  if (error instanceof ValidationError)
    return answer(problem(400, error.code, error.message, { errors: error.errors }));
  if (error instanceof SignInRefusedError) {
    return answer(
      problem(statusOfKind[identityErrors.codes[error.code].kind], error.code, error.message),
      error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : {},
    );
  }
  if (error instanceof RateLimitedError) {
    return answer(problem(statusOfKind.rate_limited, error.code, error.message), {
      'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterSeconds))),
    });
  }
  if (error instanceof UnauthenticatedError)
    return answer(problem(statusOfKind.unauthenticated, error.code, error.message));
  if (error instanceof ForbiddenError) return answer(problem(statusOfKind.forbidden, error.code, error.message));
  if (error instanceof NotFoundError) return answer(problem(statusOfKind.not_found, error.code, error.message));
  if (
    error instanceof ConflictError ||
    error instanceof ConditionFailedError ||
    error instanceof TransactionConflictError
  ) {
    return answer(problem(statusOfKind.conflict, error.code, error.message));
  }
  if (error instanceof DependencyUnavailableError) {
    return answer(
      problem(
        statusOfKind.unavailable,
        error.code,
        `The ${error.dependency} service is temporarily unavailable; retry shortly.`,
      ),
      { 'Retry-After': '5' },
    );
  }
  if (error instanceof LedgerIntegrityFaultError) {
    // The stored ledger contradicts itself: no act can be recorded until an operator looks (docs/ledger.md).
    return answer(
      problem(statusOfKind.unavailable, error.code, error.message, {
        fault: { kind: error.fault.kind, reason: error.fault.reason },
      }),
    );
  }
  if (error instanceof IntegrityError) return answer(problem(statusOfKind.invalid, error.code, error.message));
  // DependencyAccessDeniedError, any other DomainError, and everything else: never the caller's fault.
  return {
    problem: problem(statusOfKind.internal, 'internal_error', 'The server could not complete the request.'),
    expected: false,
    headers: {},
  };
}

/** An `application/problem+json` response. */
export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, 'Content-Type': problemContentType },
  });
}
