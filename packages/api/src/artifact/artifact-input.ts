import { ValidationError } from '@evidence-portal/core';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../app-env.js';

/** One zod failure as the Artifact operations report it (ValidationException, field paths from the model). */
function invalid(error: z.ZodError, root: 'query' | 'body'): ValidationError {
  return new ValidationError(
    'The request is invalid.',
    error.issues.map((issue) => ({ path: issue.path.join('.') || root, message: issue.message })),
  );
}

/** The model's query members, validated as the model states them. */
export function parseQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [name, value] of new URL(c.req.url).searchParams) raw[name] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, 'query');
  return parsed.data;
}

/**
 * JSON body members, validated as the API reference states them. A body that is not JSON is refused,
 * unless the operation's members are all optional and it passes `whenAbsent` to stand for it.
 */
export async function parseBody<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  whenAbsent?: unknown,
): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
    if (raw === null && whenAbsent !== undefined) raw = whenAbsent;
  } catch {
    if (whenAbsent === undefined) {
      throw new ValidationError('The request body is not JSON.', [{ path: 'body', message: 'expected a JSON object' }]);
    }
    raw = whenAbsent;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, 'body');
  return parsed.data;
}
