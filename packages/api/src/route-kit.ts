import {
  type FieldError,
  type Principal,
  type PrincipalCaller,
  principalCaller,
  UnauthenticatedError,
  ValidationError,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';
import { clientIp } from './middleware/authentication.js';

/** OpenAPI building blocks every route module uses. */
export const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

/** A path parameter: its shape is the use case's business, which answers 404 for anything unknown. */
export const pathParam = (name: string) =>
  z
    .string()
    .max(256)
    .openapi({ param: { name, in: 'path' } });

export const ItemsOf = <T extends z.ZodTypeAny>(schema: T) => z.object({ items: z.array(schema) });

/** The signed-in principal (the gate has already answered 401 to anonymous requests). */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new UnauthenticatedError('Sign in first.');
  return principal;
}

/** The use-case caller of this request: its principal, where it came from, its logger. */
export function callerOf(c: Context<AppEnv>): PrincipalCaller {
  const userAgent = c.req.header('user-agent');
  return principalCaller(
    principalOf(c),
    { sourceIp: clientIp(c), ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) },
    c.get('logger'),
  );
}

/**
 * Where a route takes a use case's input fields from: `path` maps input fields to path parameters
 * (`{ agreementId: 'id' }`); every other field is in the JSON body or the query string.
 */
export interface InputLocations {
  path?: Record<string, string>;
  rest: 'body' | 'query';
}

/**
 * Runs a use case for a route ("reuse the schema, call, present"). Field errors a use case raises name
 * paths of its own input (`accountId`); the client is told where it sent the field, in the same
 * convention as edge validation: `body.accountId`, `query.at`, `path.id` (docs/api.md).
 */
export async function callUseCase<T>(
  c: Context<AppEnv>,
  where: InputLocations,
  run: (caller: PrincipalCaller) => Promise<T>,
): Promise<T> {
  try {
    return await run(callerOf(c));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.message,
      error.errors.map((field) => locate(field, where)),
      { cause: error },
    );
  }
}

function locate(field: FieldError, where: InputLocations): FieldError {
  const [first = '', ...rest] = field.path.split('.');
  const param = where.path?.[first];
  const path = param !== undefined ? ['path', param, ...rest] : [where.rest, ...(field.path ? [field.path] : [])];
  return { path: path.join('.'), message: field.message };
}
