import { agreementArn, coverageInput, matrixInput } from '@evidence-portal/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { askedByUseCase, portalRoute } from '../../route-definition.js';
import { callUseCase, json } from '../../route-kit.js';
import { CoverageSchema, MatrixSchema, presentCoverage, presentMatrix } from './agreement-presenters.js';
import { readProblems } from './agreement-problems.js';

const inQuery = { rest: 'query' } as const;

const routes = {
  coverage: portalRoute({
    method: 'get',
    path: '/coverage',
    tags: ['Agreements'],
    summary: 'Was this account covered by this agreement at this instant, and through what?',
    authorization: askedByUseCase(
      'portal:GetAgreementCoverage',
      agreementArn('{orgId}', '{agreementId}', '{accountId}'),
    ),
    request: { query: coverageInput },
    responses: { 200: json('The coverage', CoverageSchema), ...readProblems },
  }),
  matrix: portalRoute({
    method: 'get',
    path: '/coverage/matrix',
    tags: ['Agreements'],
    summary: 'Accounts × agreements with `via` and `since`, at an instant',
    authorization: askedByUseCase('portal:GetAgreementCoverage', agreementArn('{orgId}', '*', '*')),
    request: { query: matrixInput },
    responses: { 200: json('The matrix', MatrixSchema), ...readProblems },
  }),
};

export function coverageRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.coverage, async (c) => {
    const query = c.req.valid('query');
    const answer = await callUseCase(c, inQuery, (caller) => c.get('deps').agreements.coverage(caller, query));
    return c.json(presentCoverage(answer), 200);
  });
  app.openapi(routes.matrix, async (c) => {
    const query = c.req.valid('query');
    const matrix = await callUseCase(c, inQuery, (caller) => c.get('deps').agreements.matrix(caller, query));
    return c.json(presentMatrix(matrix), 200);
  });
  return app;
}
