import type { components } from './openapi.gen.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = { path: string; message: string };

/** An API refusal (application/problem+json), carried through TanStack Query as the error. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(problem: Problem, retryAfter?: string | null) {
    super(problem.detail || problem.title);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    if (retryAfter && Number.isFinite(Number(retryAfter))) this.retryAfterSeconds = Number(retryAfter);
  }
}

/** What a person is told, by code first (stable), else by status; the API's detail follows when useful. */
const byCode: Record<string, string> = {
  unauthenticated: 'Your session has ended. Sign in again to continue.',
  invalid_credentials: 'The email or password is not right.',
  invalid_mfa_code: 'That code is wrong, expired or was already used. Wait for the next code and try again.',
  mfa_required: 'This needs a session confirmed with your MFA code.',
  totp_required: 'Enter the current code from your authenticator app.',
  mfa_not_enrolled: 'Set up an MFA device first.',
  sign_in_locked: 'Too many failed attempts. Sign-in is paused for a while.',
  password_change_required: 'This password must be changed before you continue.',
  implicit_deny: 'Your access does not include this.',
  explicit_deny: 'A policy explicitly denies this.',
  role_not_trusted: 'You are not allowed to assume this role.',
  management_account_required: 'Only people in the management account can do this for the whole organization.',
  terms_revision_stale: 'The terms changed while you were reading them. Read the new terms and accept again.',
  term_token_used: 'That download link was already used. Accept the terms again to download another copy.',
  term_token_expired: 'The download link expired. Accept the terms again.',
  not_found: 'It does not exist, or it is not shared with your organization.',
  route_not_found: 'The console asked the API for something it does not know.',
  validation_failed: 'Some fields need attention.',
  body_too_large: 'That is too large to send.',
  dependency_unavailable: 'A service the portal depends on is busy. Try again in a few seconds.',
  internal_error: 'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.',
  network_error: 'The portal could not be reached. Check your connection and try again.',
  stale_sequence: 'Someone changed this at the same time. Reload to see their change, then try again.',
};

export function humanMessage(error: unknown): { title: string; detail?: string } {
  if (error instanceof ApiProblem) {
    const title: string =
      byCode[error.code] ??
      (error.status === 409
        ? 'That conflicts with the current state.'
        : error.status === 403
          ? 'You are not allowed to do this.'
          : error.status === 404
            ? 'Not found.'
            : error.status >= 500
              ? (byCode.internal_error as string)
              : 'The request was refused.');
    const detail = error.message && error.message !== title ? error.message : undefined;
    return detail ? { title, detail } : { title };
  }
  return { title: byCode.internal_error as string };
}
