import { z } from '@hono/zod-openapi';

/** Shared OpenAPI components. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:evidence-portal:problem:not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ description: 'Stable, machine-readable error code' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
