import { ForbiddenError } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { portalRoute } from '../route-definition.js';
import { AcceptanceSchema, callerOf, DownloadSchema, json, pageLimit, reportProblems } from './reports-schemas.js';

const downloadIdParam = z
  .string()
  .regex(/^dl-[0-9A-Z]{1,64}$/, 'not a download id')
  .openapi({ param: { name: 'downloadId', in: 'path' }, example: 'dl-01JQ4X9M2K8D7F6E5C4B3A2Z1Y' });
const acceptanceIdParam = z
  .string()
  .regex(/^acc-[0-9A-Z]{1,64}$/, 'not an acceptance id')
  .openapi({ param: { name: 'acceptanceId', in: 'path' }, example: 'acc-01JQ4X9M2K8D7F6E5C4B3A2Z1Y' });

const routes = {
  mine: portalRoute({
    method: 'get',
    path: '/downloads',
    tags: ['Reports'],
    summary: 'My report downloads, newest first',
    authorization: {
      kind: 'action',
      action: 'portal:ListDownloads',
      resource: 'arn:portal:{orgId}:{accountId}:download/*',
    },
    request: { query: z.object({ cursor: z.string().max(2048).optional(), limit: pageLimit }) },
    responses: {
      200: json('A page of downloads', z.object({ items: z.array(DownloadSchema), nextCursor: z.string().optional() })),
      ...reportProblems,
    },
  }),
  trace: portalRoute({
    method: 'get',
    path: '/downloads/{downloadId}',
    tags: ['Reports'],
    summary: 'Leak trace-back: who downloaded which version under which terms',
    description:
      'The id printed on every page of a copy resolves to its download record (this organization only). ' +
      'Authorized on the account the download was made in: `portal:GetDownload` on ' +
      '`arn:portal:{orgId}:{record accountId}:download/{downloadId}`.',
    authorization: {
      kind: 'session',
      reason:
        "the handler asks authorize(portal:GetDownload) on the download record's own account, which the gate cannot know before reading it",
    },
    request: { params: z.object({ downloadId: downloadIdParam }) },
    responses: {
      200: json(
        'The download and the acceptance it was made under',
        z.object({ download: DownloadSchema, acceptance: AcceptanceSchema.optional() }).openapi('DownloadTrace'),
      ),
      ...reportProblems,
    },
  }),
  acceptance: portalRoute({
    method: 'get',
    path: '/report-acceptances/{acceptanceId}',
    tags: ['Reports'],
    summary: 'One terms acceptance record (this organization only)',
    authorization: {
      kind: 'action',
      action: 'portal:GetDownload',
      resource: 'arn:portal:{orgId}:{accountId}:download/*',
    },
    request: { params: z.object({ acceptanceId: acceptanceIdParam }) },
    responses: { 200: json('The acceptance', AcceptanceSchema), ...reportProblems },
  }),
};

export function downloadRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.mine, async (c) => {
    const query = c.req.valid('query');
    const page = await c.get('deps').reports.myDownloads(callerOf(c), {
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(query.limit !== undefined ? { limit: Number(query.limit) } : {}),
    });
    return c.json(page, 200);
  });
  app.openapi(routes.trace, async (c) => {
    const principal = callerOf(c);
    const { downloadId } = c.req.valid('param');
    const trace = await c.get('deps').reports.traceDownload(principal.orgId, downloadId);
    // The record's account, not the caller's: a policy scoped to account A's downloads must not
    // resolve a download made in account B.
    const resource = `arn:portal:${principal.orgId}:${trace.download.accountId}:download/${downloadId}`;
    const decision = await c
      .get('deps')
      .authorizer.authorize(principal, 'portal:GetDownload', resource, baseRequestContext(c));
    if (decision.decision !== 'Allow') {
      c.get('logger').log('warn', 'access denied', {
        principal: { userId: principal.userId, orgId: principal.orgId, role: principal.role?.name },
        action: 'portal:GetDownload',
        resource,
        decision: decision.decision,
        reason: decision.reason,
      });
      throw new ForbiddenError(
        `Not allowed to portal:GetDownload on ${resource}: ${decision.reason}`,
        decision.decision === 'ExplicitDeny' ? 'explicit_deny' : 'implicit_deny',
      );
    }
    return c.json(trace, 200);
  });
  app.openapi(routes.acceptance, async (c) =>
    c.json(await c.get('deps').reports.getAcceptance(callerOf(c).orgId, c.req.valid('param').acceptanceId), 200),
  );
  return app;
}
