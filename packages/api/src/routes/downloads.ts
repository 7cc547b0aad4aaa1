import {
  type DownloadRecord,
  downloadArn,
  principalCaller,
  requireAllowed,
  type TermsAcceptance,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { PageOf, PageQuery, pageOptions, presentPage } from '../pagination.js';
import { portalRoute } from '../route-definition.js';
import {
  AcceptanceSchema,
  DownloadSchema,
  json,
  presentDownload,
  presentTermsAcceptance,
  principalOf,
  reportProblems,
} from './reports-schemas.js';

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
      resource: downloadArn('{orgId}', '{accountId}', '*'),
    },
    request: { query: PageQuery },
    responses: {
      200: json('A page of downloads', PageOf(DownloadSchema)),
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
      resource: downloadArn('{orgId}', '{accountId}', '*'),
    },
    request: { params: z.object({ acceptanceId: acceptanceIdParam }) },
    responses: { 200: json('The acceptance', AcceptanceSchema), ...reportProblems },
  }),
};

const presentTrace = (trace: { download: DownloadRecord; acceptance?: TermsAcceptance }) => ({
  download: presentDownload(trace.download),
  acceptance: trace.acceptance ? presentTermsAcceptance(trace.acceptance) : undefined,
});

export function downloadRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.mine, async (c) => {
    const query = c.req.valid('query');
    const page = await c.get('deps').reports.myDownloads(principalOf(c), pageOptions(query));
    return c.json(presentPage(page, presentDownload), 200);
  });
  app.openapi(routes.trace, async (c) => {
    const principal = principalOf(c);
    const { downloadId } = c.req.valid('param');
    const trace = await c.get('deps').reports.traceDownload(principal.orgId, downloadId);
    // The record's account, not the caller's: a policy scoped to account A's downloads must not
    // resolve a download made in account B.
    await requireAllowed(
      c.get('deps').authorizer,
      principalCaller(principal, {}, c.get('logger')),
      'portal:GetDownload',
      downloadArn(principal.orgId, trace.download.accountId, downloadId),
      baseRequestContext(c),
    );
    return c.json(presentTrace(trace), 200);
  });
  app.openapi(routes.acceptance, async (c) =>
    c.json(
      presentTermsAcceptance(
        await c.get('deps').reports.getAcceptance(principalOf(c).orgId, c.req.valid('param').acceptanceId),
      ),
      200,
    ),
  );
  return app;
}
