import { agreementArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import { authorizeFor, callerOf, instantOf, instantQuery, json, readProblems } from './agreements-support.js';

const CellSchema = z.object({
  covered: z.boolean(),
  via: z.enum(['account', 'organization']).optional(),
  since: z.string().optional(),
  revisionId: z.string().optional(),
});

const CoverageSchema = CellSchema.extend({
  acceptanceId: z.string().optional(),
  revisionOutdated: z.boolean().optional(),
  at: z.string(),
}).openapi('Coverage');

const MatrixSchema = z
  .object({
    at: z.string(),
    agreements: z.array(z.object({ agreementId: z.string(), name: z.string(), type: z.string() })),
    accounts: z.array(z.object({ accountId: z.string(), coverage: z.record(z.string(), CellSchema) })),
  })
  .openapi('CoverageMatrix');

const routes = {
  coverage: portalRoute({
    method: 'get',
    path: '/coverage',
    tags: ['Agreements'],
    summary: 'Was this account covered by this agreement at this instant, and through what?',
    // The gate asks about the caller's own account; another account is re-asked in the handler.
    authorization: {
      kind: 'action',
      action: 'portal:GetAgreementCoverage',
      resource: agreementArn('{orgId}', '*', '{accountId}'),
    },
    request: {
      query: z.object({
        accountId: z.string().regex(/^\d{12}$/),
        agreementId: z.string().min(1).max(256),
        at: instantQuery,
      }),
    },
    responses: { 200: json('The coverage', CoverageSchema), ...readProblems },
  }),
  matrix: portalRoute({
    method: 'get',
    path: '/coverage/matrix',
    tags: ['Agreements'],
    summary: 'Accounts × agreements with `via` and `since`, at an instant',
    authorization: {
      kind: 'action',
      action: 'portal:GetAgreementCoverage',
      resource: agreementArn('{orgId}', '*', '*'),
    },
    request: { query: z.object({ at: instantQuery }) },
    responses: { 200: json('The matrix', MatrixSchema), ...readProblems },
  }),
};

export function coverageRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.coverage, async (c) => {
    const { accountId, agreementId, at } = c.req.valid('query');
    const principal = callerOf(c);
    if (accountId !== principal.accountId) {
      await authorizeFor(c, 'portal:GetAgreementCoverage', agreementArn(principal.orgId, agreementId, accountId));
    }
    const instant = instantOf(c, at);
    const coverage = await c.get('deps').agreements.coverage(principal.orgId, accountId, agreementId, instant);
    return c.json({ ...coverage, at: instant }, 200);
  });
  app.openapi(routes.matrix, async (c) => {
    const instant = instantOf(c, c.req.valid('query').at);
    return c.json(await c.get('deps').agreements.matrix(callerOf(c).orgId, instant), 200);
  });
  return app;
}
