import {
  agreementErrors,
  ForbiddenError,
  type Principal,
  type RequestOrigin,
  UnauthenticatedError,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { clientIp } from '../middleware/authentication.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([agreementErrors]);

export function callerOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new UnauthenticatedError('Sign in first.');
  return principal;
}

/**
 * The route's gate asked about the caller's own account; when the body or query names another
 * account, or the whole organization, the handler asks `authorize` again for that exact resource.
 */
export async function authorizeFor(c: Context<AppEnv>, action: `portal:${string}`, resource: string): Promise<void> {
  const principal = callerOf(c);
  const decision = await c.get('deps').authorizer.authorize(principal, action, resource, baseRequestContext(c));
  if (decision.decision === 'Allow') return;
  c.get('logger').log('warn', 'access denied', {
    principal: { userId: principal.userId, orgId: principal.orgId, role: principal.role?.name },
    action,
    resource,
    decision: decision.decision,
    reason: decision.reason,
  });
  throw new ForbiddenError(
    `Not allowed to ${action} on ${resource}: ${decision.reason}`,
    decision.decision === 'ExplicitDeny' ? 'explicit_deny' : 'implicit_deny',
  );
}

export function originOf(c: Context<AppEnv>): RequestOrigin {
  const userAgent = c.req.header('user-agent');
  return { sourceIp: clientIp(c), ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) };
}

export const pathParam = (name: string) =>
  z
    .string()
    .max(256)
    .openapi({ param: { name, in: 'path' } });

export const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const readProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such object in this organization'),
};

export const writeProblems = {
  ...readProblems,
  409: problem(409, 'Conflicts with the current state (not the latest revision, already accepted, ...)'),
};

/** An ISO 8601 instant in a query string, normalized; absent means now. */
export const instantQuery = z
  .string()
  .max(64)
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date-time',
  )
  .optional()
  .openapi({ description: 'The instant to answer for (ISO 8601); default now', example: '2026-03-01T00:00:00Z' });

export function instantOf(c: Context<AppEnv>, value: string | undefined): string {
  return value === undefined ? c.get('deps').clock.now().toISOString() : new Date(Date.parse(value)).toISOString();
}
