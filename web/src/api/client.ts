import createClient from 'openapi-fetch';
import type { paths } from './openapi.gen.js';
import { ApiProblem, type Problem } from './problem.js';

/**
 * The one HTTP client of the console: typed from the API's OpenAPI document. The session rides in the
 * HttpOnly `__Host-session` cookie, which this code can neither read nor write.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Who asks for an MFA step-up (the session's dialog); resolves once the session has MFA, rejects when cancelled. */
let stepUpHandler: ((problem: ApiProblem) => Promise<void>) | undefined;
let sessionLostHandler: (() => void) | undefined;

export function onStepUpNeeded(handler: typeof stepUpHandler): void {
  stepUpHandler = handler;
}
export function onSessionLost(handler: typeof sessionLostHandler): void {
  sessionLostHandler = handler;
}

function problemOf(result: Result<unknown>): ApiProblem {
  const body = result.error as Partial<Problem> | undefined;
  const status = result.response.status;
  return new ApiProblem(
    {
      type: body?.type ?? 'about:blank',
      title: body?.title ?? result.response.statusText,
      status,
      detail: body?.detail ?? '',
      code: body?.code ?? (status >= 500 ? 'internal_error' : 'http_error'),
      ...(body?.errors ? { errors: body.errors } : {}),
    },
    result.response.headers.get('retry-after'),
  );
}

/**
 * Sends a request and answers its data or throws an ApiProblem. A 403 saying MFA is required opens the
 * step-up dialog and, once the session has MFA, sends the same request again (once).
 */
export async function send<T>(request: () => Promise<Result<T>>, options: { quiet401?: boolean } = {}): Promise<T> {
  let result: Result<T>;
  try {
    result = await request();
  } catch {
    throw new ApiProblem({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: '',
      code: 'network_error',
    });
  }
  if (result.response.ok) return result.data as T;
  let problem = problemOf(result);
  if (
    problem.status === 403 &&
    (problem.code === 'mfa_required' || problem.code === 'access_key_mfa_required') &&
    stepUpHandler
  ) {
    await stepUpHandler(problem);
    result = await request();
    if (result.response.ok) return result.data as T;
    problem = problemOf(result);
  }
  if (problem.status === 401 && !options.quiet401) sessionLostHandler?.();
  throw problem;
}
