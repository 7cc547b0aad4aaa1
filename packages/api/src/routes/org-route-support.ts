import {
  accessErrors,
  identityErrors,
  organizationErrors,
  type Principal,
  UnauthenticatedError,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([organizationErrors, accessErrors, identityErrors]);

/** The signed-in caller (the gate has already refused anonymous requests). */
export function callerOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new UnauthenticatedError('Sign in first.');
  return principal;
}

export { actorOf } from '@evidence-portal/core';

/** A path parameter: shape is checked by the use case, which answers 404 for anything unknown. */
export const pathParam = (name: string) =>
  z
    .string()
    .max(256)
    .openapi({ param: { name, in: 'path' } });

/** The authorization declaration of an access-administration route (resource from `access/resources.ts`). */
export const accessDeclaration = (action: 'portal:DescribeAccess' | 'portal:ManageAccess', resource: string) =>
  ({ kind: 'action', action, resource }) as const;

export const ItemsOf = <T extends z.ZodTypeAny>(schema: T) => z.object({ items: z.array(schema) });

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** Responses every admin route can give. */
export const adminProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the policy decision says why)'),
  404: problem(404, 'No such object in this organization'),
  409: problem(409, 'Conflicts with the current state'),
};

export const readProblems = {
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed'),
  404: problem(404, 'No such object in this organization'),
};
