import { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';

/** Field errors of a failed zod parse, paths joined with `.` (`trust.users.0`), optionally prefixed. */
export function fieldErrorsOf(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/**
 * A use case's input, checked against the schema it exports: the one place its rules live. Routes
 * reuse the same schema for the request and the OpenAPI document, so input from the API has passed
 * it already; other callers (seeds, jobs, the CLI) get the same 400 `validation_failed`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError('The input is invalid.', fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** Page size of every listing: default 25, at most 100. */
export const defaultPageLimit = 25;
export const maxPageLimit = 100;

/** The cursor and size of every cursor-paged listing (`?cursor=&limit=`); use cases extend it with their filters. */
export const pageInput = z.object({
  cursor: z.string().max(2048).optional().describe('The `nextCursor` of the previous page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxPageLimit)
    .default(defaultPageLimit)
    .describe(`Page size (default ${defaultPageLimit}, at most ${maxPageLimit})`),
});
