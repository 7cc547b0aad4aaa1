import { Readable } from 'node:stream';
import { accessErrors, catalogSorts, reportArn, reportErrors } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { clientIp } from '../middleware/authentication.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { PageOf, PageQuery, pageOptions, presentPage } from '../pagination.js';
import { portalRoute } from '../route-definition.js';
import { problemsFor } from '../schemas.js';
import {
  isoDate,
  json,
  jsonBody,
  presentReport,
  presentVersion,
  principalOf,
  ReportSchema,
  ReportVersionSchema,
  reportDecision,
  reportIdParam,
  reportProblems,
  reportWriteProblems,
  requireReportAction,
  versionParam,
} from './reports-schemas.js';

const problem = problemsFor([reportErrors, accessErrors]);

/** Why the category-conditioned routes are declared `session`: the handler asks with the report's keys. */
const askedInHandler = (action: string) =>
  `the handler asks authorize(${action}, ${reportArn('{orgId}', '{id}', '{accountId}')}) with the report's ` +
  'portal:ReportCategory and portal:ReportSeries, which the gate cannot know before reading the report';

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/reports',
    tags: ['Reports'],
    summary: 'Search the report catalog',
    description:
      'Published reports the caller may see (policies may condition on `portal:ReportCategory` and ' +
      '`portal:ReportSeries`), with freshness flags. Stable cursor pagination; default page 25, up to 100.',
    authorization: { kind: 'session', reason: askedInHandler('portal:ListReports') },
    request: {
      query: z
        .object({
          q: z.string().max(200).optional().openapi({ description: 'Words to find in name, description or series' }),
          category: z.string().max(100).optional(),
          series: z.string().max(100).optional(),
          company: z.string().max(200).optional(),
          thirdParty: z.enum(['true', 'false']).optional(),
          periodFrom: isoDate
            .optional()
            .openapi({ description: 'Some version’s period overlaps [periodFrom, periodTo]' }),
          periodTo: isoDate.optional(),
          sort: z.enum(catalogSorts).optional().openapi({ description: 'Default `name`; `-` for descending' }),
        })
        .extend(PageQuery.shape),
    },
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
    authorization: { kind: 'session', reason: askedInHandler('portal:GetReport') },
    request: { params: z.object({ id: reportIdParam }) },
    responses: { 200: json('The report', ReportSchema), ...reportProblems },
  }),
  versions: portalRoute({
    method: 'get',
    path: '/reports/{id}/versions',
    tags: ['Reports'],
    summary: 'Versions of a report, newest first',
    authorization: { kind: 'session', reason: askedInHandler('portal:GetReport') },
    request: { params: z.object({ id: reportIdParam }) },
    responses: { 200: json('Versions', z.object({ items: z.array(ReportVersionSchema) })), ...reportProblems },
  }),
  terms: portalRoute({
    method: 'get',
    path: '/reports/{id}/versions/{v}/terms',
    tags: ['Reports'],
    summary: 'The terms a version is shared under',
    authorization: { kind: 'session', reason: askedInHandler('portal:GetReport') },
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
    authorization: { kind: 'session', reason: askedInHandler('portal:AcceptReportTerms') },
    request: {
      params: z.object({ id: reportIdParam, v: versionParam }),
      ...jsonBody(z.object({ revisionId: z.string().min(1).max(128) }).openapi('AcceptReportTerms')),
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
    authorization: { kind: 'session', reason: askedInHandler('portal:DownloadReport') },
    request: {
      params: z.object({ id: reportIdParam, v: versionParam }),
      query: z.object({ termToken: z.string().max(256).optional() }),
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
    const principal = principalOf(c);
    const query = c.req.valid('query');
    const page = await c.get('deps').reports.list(
      principal.orgId,
      {
        ...(query.q !== undefined ? { q: query.q } : {}),
        ...(query.category !== undefined ? { category: query.category } : {}),
        ...(query.series !== undefined ? { series: query.series } : {}),
        ...(query.company !== undefined ? { company: query.company } : {}),
        ...(query.thirdParty !== undefined ? { thirdParty: query.thirdParty === 'true' } : {}),
        ...(query.periodFrom !== undefined ? { periodFrom: query.periodFrom } : {}),
        ...(query.periodTo !== undefined ? { periodTo: query.periodTo } : {}),
        ...(query.sort !== undefined ? { sort: query.sort } : {}),
        ...pageOptions(query),
      },
      async (report) => (await reportDecision(c, 'portal:ListReports', report)) === 'Allow',
    );
    if (page.items.length === 0 && page.nextCursor === undefined) {
      // Nothing listed: if listing itself is explicitly denied (no report's keys needed for that Deny to
      // apply), say so with a 403, as the simulator would, rather than with an empty catalog.
      const catalog = await c
        .get('deps')
        .authorizer.authorize(
          principal,
          'portal:ListReports',
          reportArn(principal.orgId, '*', principal.accountId),
          baseRequestContext(c),
        );
      if (catalog.decision === 'ExplicitDeny') {
        throw accessErrors.error('explicit_deny', `Not allowed to portal:ListReports: ${catalog.reason}`);
      }
    }
    return c.json(presentPage(page, presentReport), 200);
  });

  app.openapi(routes.get, async (c) => {
    const { reports } = c.get('deps');
    const report = await reports.get(c.req.valid('param').id, principalOf(c).orgId);
    await requireReportAction(c, 'portal:GetReport', report);
    return c.json(presentReport(reports.view(report)), 200);
  });

  app.openapi(routes.versions, async (c) => {
    const { reports } = c.get('deps');
    const orgId = principalOf(c).orgId;
    const report = await reports.get(c.req.valid('param').id, orgId);
    await requireReportAction(c, 'portal:GetReport', report);
    return c.json({ items: (await reports.versions(report, orgId)).map(presentVersion) }, 200);
  });

  app.openapi(routes.terms, async (c) => {
    const { reports } = c.get('deps');
    const principal = principalOf(c);
    const { id, v } = c.req.valid('param');
    const { report, version } = await reports.version(id, Number(v), principal.orgId);
    await requireReportAction(c, 'portal:GetReport', report);
    const terms = await reports.termsRevision(version.termsRevisionId);
    const standing = await reports.standingAcceptance(principal, terms);
    return c.json(
      {
        revisionId: terms.revisionId,
        title: terms.title,
        sha256: terms.sha256,
        acceptanceType: version.acceptanceType,
        text: terms.text,
        ...(terms.reacceptAfterDays !== undefined ? { reacceptAfterDays: terms.reacceptAfterDays } : {}),
        accepted: standing !== undefined,
      },
      200,
    );
  });

  app.openapi(routes.accept, async (c) => {
    const { reports } = c.get('deps');
    const principal = principalOf(c);
    const { id, v } = c.req.valid('param');
    const { report } = await reports.version(id, Number(v), principal.orgId);
    await requireReportAction(c, 'portal:AcceptReportTerms', report);
    const userAgent = c.req.header('user-agent');
    const result = await reports.acceptTerms(principal, id, Number(v), {
      revisionId: c.req.valid('json').revisionId,
      ip: clientIp(c),
      ...(userAgent ? { userAgent } : {}),
    });
    return c.json(
      { termToken: result.termToken, expiresAt: result.expiresAt, acceptanceId: result.acceptance.acceptanceId },
      201,
    );
  });

  app.openapi(routes.download, async (c) => {
    const deps = c.get('deps');
    const principal = principalOf(c);
    const { id, v } = c.req.valid('param');
    const { report } = await deps.reports.version(id, Number(v), principal.orgId);
    await requireReportAction(c, 'portal:DownloadReport', report);
    const { record, copy } = await deps.reports.download(principal, id, Number(v), c.req.valid('query').termToken);
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
