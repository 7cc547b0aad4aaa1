import { Readable } from 'node:stream';
import {
  acceptReportTermsBody,
  accessErrors,
  catalogSearchInput,
  downloadCopyQuery,
  reportArn,
  reportErrors,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { PageOf, presentPage } from '../pagination.js';
import { askedByUseCase, portalRoute } from '../route-definition.js';
import { callUseCase } from '../route-kit.js';
import { problemsFor } from '../schemas.js';
import {
  json,
  jsonBody,
  presentReport,
  presentVersion,
  ReportSchema,
  ReportVersionSchema,
  reportIdParam,
  reportProblems,
  reportWriteProblems,
  versionParam,
} from './reports-schemas.js';

const problem = problemsFor([reportErrors, accessErrors]);

/** Each reports use case asks its action about the report it reads, with the report's category and series. */
const askedAbout = (action: `portal:${string}`) => askedByUseCase(action, reportArn('{orgId}', '{id}', '{accountId}'));

/** Where the use cases' fields are: `reportId` and `version` in the path, the rest in the body or query. */
const inQuery = { path: { reportId: 'id', version: 'v' }, rest: 'query' } as const;
const inBody = { path: { reportId: 'id', version: 'v' }, rest: 'body' } as const;

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/reports',
    tags: ['Reports'],
    summary: 'Search the report catalog',
    description:
      'Published reports the caller may see (policies may condition on `portal:ReportCategory` and ' +
      '`portal:ReportSeries`), with freshness flags. Stable cursor pagination; default page 25, up to 100.',
    authorization: askedAbout('portal:ListReports'),
    request: { query: catalogSearchInput },
    responses: {
      200: json('A page of reports', PageOf(ReportSchema)),
      ...reportProblems,
    },
  }),
  get: portalRoute({
    method: 'get',
    path: '/reports/{id}',
    tags: ['Reports'],
    summary: 'Report metadata, its newest version and freshness',
    authorization: askedAbout('portal:GetReport'),
    request: { params: z.object({ id: reportIdParam }) },
    responses: { 200: json('The report', ReportSchema), ...reportProblems },
  }),
  versions: portalRoute({
    method: 'get',
    path: '/reports/{id}/versions',
    tags: ['Reports'],
    summary: 'Versions of a report, newest first',
    authorization: askedAbout('portal:GetReport'),
    request: { params: z.object({ id: reportIdParam }) },
    responses: { 200: json('Versions', z.object({ items: z.array(ReportVersionSchema) })), ...reportProblems },
  }),
  terms: portalRoute({
    method: 'get',
    path: '/reports/{id}/versions/{v}/terms',
    tags: ['Reports'],
    summary: 'The terms a version is shared under',
    authorization: askedAbout('portal:GetReport'),
    request: { params: z.object({ id: reportIdParam, v: versionParam }) },
    responses: {
      200: json(
        'The terms revision to accept',
        z
          .object({
            revisionId: z.string(),
            title: z.string(),
            sha256: z.string(),
            acceptanceType: z.enum(['EXPLICIT', 'PASSTHROUGH']),
            text: z.string(),
            reacceptAfterDays: z.number().int().optional(),
            accepted: z.boolean().openapi({ description: 'The caller’s acceptance of this revision still stands' }),
          })
          .openapi('ReportTerms'),
      ),
      ...reportProblems,
    },
  }),
  accept: portalRoute({
    method: 'post',
    path: '/reports/{id}/versions/{v}/terms/acceptances',
    tags: ['Reports'],
    summary: 'Accept the terms and get a single-use term token (15 minutes)',
    description:
      '`revisionId` is the revision the user was shown; a stale one is 409. While an acceptance stands, ' +
      'calling again only issues a new token (no new acceptance record).',
    authorization: askedAbout('portal:AcceptReportTerms'),
    request: {
      params: z.object({ id: reportIdParam, v: versionParam }),
      ...jsonBody(z.object(acceptReportTermsBody.shape).openapi('AcceptReportTerms')),
    },
    responses: {
      201: json(
        'A term token',
        z.object({ termToken: z.string(), expiresAt: z.string(), acceptanceId: z.string() }).openapi('TermToken'),
      ),
      ...reportWriteProblems,
    },
  }),
  download: portalRoute({
    method: 'get',
    path: '/reports/{id}/versions/{v}/download',
    tags: ['Reports'],
    summary: 'Download a watermarked copy with a term token',
    description:
      'Without a token: 403 naming the terms to accept. A token of another user or version, or expired: 403; ' +
      'already used: 409. Locally the PDF is streamed; in AWS the answer redirects to a short-lived URL.',
    authorization: askedAbout('portal:DownloadReport'),
    request: {
      params: z.object({ id: reportIdParam, v: versionParam }),
      query: downloadCopyQuery,
    },
    responses: {
      200: {
        description: 'The watermarked PDF',
        content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      302: { description: 'Redirect to a short-lived URL of the watermarked copy (AWS)' },
      ...reportWriteProblems,
      403: problem(403, 'No token (`terms_not_accepted`), a token not yours, or expired'),
    },
  }),
};

/** Stages whose API streams downloads itself; deployed stages redirect to S3. */
const streamingStages = new Set(['local', 'test']);

export function reportRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const page = await callUseCase(c, inQuery, (caller) => c.get('deps').reports.listReports(caller, query));
    return c.json(presentPage(page, presentReport), 200);
  });

  app.openapi(routes.get, async (c) => {
    const reportId = c.req.valid('param').id;
    const report = await callUseCase(c, inQuery, (caller) => c.get('deps').reports.getReport(caller, { reportId }));
    return c.json(presentReport(report), 200);
  });

  app.openapi(routes.versions, async (c) => {
    const reportId = c.req.valid('param').id;
    const versions = await callUseCase(c, inQuery, (caller) =>
      c.get('deps').reports.getReportVersions(caller, { reportId }),
    );
    return c.json({ items: versions.map(presentVersion) }, 200);
  });

  app.openapi(routes.terms, async (c) => {
    const { id: reportId, v } = c.req.valid('param');
    const terms = await callUseCase(c, inQuery, (caller) =>
      c.get('deps').reports.getReportTerms(caller, { reportId, version: Number(v) }),
    );
    return c.json(
      {
        revisionId: terms.revisionId,
        title: terms.title,
        sha256: terms.sha256,
        acceptanceType: terms.acceptanceType,
        text: terms.text,
        ...(terms.reacceptAfterDays !== undefined ? { reacceptAfterDays: terms.reacceptAfterDays } : {}),
        accepted: terms.accepted,
      },
      200,
    );
  });

  app.openapi(routes.accept, async (c) => {
    const { id: reportId, v } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await callUseCase(c, inBody, (caller) =>
      c.get('deps').reports.acceptReportTerms(caller, { ...body, reportId, version: Number(v) }),
    );
    return c.json(
      { termToken: result.termToken, expiresAt: result.expiresAt, acceptanceId: result.acceptance.acceptanceId },
      201,
    );
  });

  app.openapi(routes.download, async (c) => {
    const deps = c.get('deps');
    const { id: reportId, v } = c.req.valid('param');
    const query = c.req.valid('query');
    const { record, copy } = await callUseCase(c, inQuery, (caller) =>
      deps.reports.downloadReport(caller, { ...query, reportId, version: Number(v) }),
    );
    if (!streamingStages.has(deps.settings.stage)) {
      return c.redirect(await deps.reports.presignedCopy(record, copy), 302);
    }
    // The original's bytes flow from the blob store as they arrive, the update after them.
    return c.body(Readable.toWeb(copy.body) as ReadableStream<Uint8Array>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(copy.size),
      'Content-Disposition': `attachment; filename="report-${record.reportId}-v${record.version}-${record.downloadId}.pdf"`,
      'Cache-Control': 'no-store',
      'X-Download-Id': record.downloadId,
    });
  });

  return app;
}
