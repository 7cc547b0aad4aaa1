import {
  accessErrors,
  commonErrors,
  type ErrorCatalog,
  type ErrorCodeSpec,
  moduleErrorCatalogs,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import { edgeErrors } from './edge-errors.js';
import { statusOfKind } from './problem.js';

/** Shared OpenAPI components. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:evidence-portal:problem:not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ description: 'Stable, machine-readable error code (`x-error-codes` lists them)' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** A problem response whose codes are not catalogued yet (any string). */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** What every route may answer besides its module's own codes: the edge, generic errors, the gate. */
const everywhere: readonly ErrorCatalog[] = [edgeErrors, commonErrors, accessErrors];
const gateCodes = new Set(['explicit_deny', 'implicit_deny']);

function codesWithStatus(catalogs: readonly ErrorCatalog[], status: number): string[] {
  const codes = new Set<string>();
  for (const catalog of [...everywhere, ...catalogs]) {
    const specs: Readonly<Record<string, ErrorCodeSpec>> = catalog.codes;
    for (const code of catalog.list) {
      const fromAccess = catalog === accessErrors && !catalogs.includes(accessErrors);
      if (fromAccess && !gateCodes.has(code)) continue;
      const spec = specs[code];
      if (spec && statusOfKind[spec.kind] === status) codes.add(code);
    }
  }
  return [...codes].sort();
}

/**
 * Problem responses of a module's routes, each status with the enum of codes it may carry (the
 * module's catalogued codes of that status, plus the edge's, the generic ones and the gate's), so a
 * client generated from /api/openapi.json gets the union of codes per response.
 */
export function problemsFor(catalogs: readonly ErrorCatalog[]) {
  return (status: number, description: string) => {
    const codes = codesWithStatus(catalogs, status);
    const schema =
      codes.length === 0
        ? ProblemSchema
        : ProblemSchema.extend({
            code: z
              .enum(codes as [string, ...string[]])
              .openapi({ description: 'Stable, machine-readable error code' }),
          });
    return { description, content: { 'application/problem+json': { schema } } };
  };
}

/**
 * The document-level catalog (`x-error-codes`): every code of every module with its status and
 * meaning. One code means one thing across the API.
 */
export function errorCodeCatalog(): Record<string, Record<string, { status: number; description: string }>> {
  const catalogs: readonly ErrorCatalog[] = [edgeErrors, ...moduleErrorCatalogs];
  return Object.fromEntries(
    catalogs.map((catalog) => {
      const specs: Readonly<Record<string, ErrorCodeSpec>> = catalog.codes;
      return [
        catalog.module,
        Object.fromEntries(
          Object.entries(specs).map(([code, spec]) => [
            code,
            { status: statusOfKind[spec.kind], description: spec.description },
          ]),
        ),
      ];
    }),
  );
}
