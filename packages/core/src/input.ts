import type { z } from 'zod';
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
