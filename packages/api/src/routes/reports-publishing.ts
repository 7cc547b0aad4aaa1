import { reportArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import {
  isoDate,
  json,
  jsonBody,
  presentReport,
  presentVersion,
  principalOf,
  ReportSchema,
  ReportVersionSchema,
  reportIdParam,
  reportWriteProblems,
  versionParam,
} from './reports-schemas.js';

const publish = (resource: string) => ({ kind: 'action' as const, action: 'portal:PublishReport' as const, resource });
const anyReport = reportArn('{orgId}', '*', '{accountId}');
const thisReport = reportArn('{orgId}', '{id}', '{accountId}');
const text = (max: number) => z.string().trim().min(1).max(max);

const routes = {
  terms: portalRoute({
    method: 'post',
    path: '/report-terms',
    tags: ['Reports publishing'],
    summary: 'Publish a terms revision (immutable; versions point at one)',
    authorization: publish(anyReport),
    request: jsonBody(
      z
        .object({
          title: text(200),
          text: text(100_000),
          reacceptAfterDays: z.number().int().min(1).max(3650).optional(),
        })
        .openapi('PublishReportTerms'),
    ),
    responses: {
      201: json(
        'The revision',
        z.object({ revisionId: z.string(), title: z.string(), sha256: z.string(), createdAt: z.string() }),
      ),
      ...reportWriteProblems,
    },
  }),
  create: portalRoute({
    method: 'post',
    path: '/reports',
    tags: ['Reports publishing'],
    summary: 'Create a report (publisher orgs: the operator, or a vendor for its own company)',
    authorization: publish(anyReport),
    request: jsonBody(
      z
        .object({
          name: text(200),
          description: z.string().max(2000),
          category: text(100),
          series: text(100),
          company: text(200),
          thirdParty: z.boolean(),
          state: z.enum(['PUBLISHED', 'UNPUBLISHED']).optional(),
        })
        .openapi('CreateReport'),
    ),
    responses: { 201: json('The report', ReportSchema), ...reportWriteProblems },
  }),
  update: portalRoute({
    method: 'patch',
    path: '/reports/{id}',
    tags: ['Reports publishing'],
    summary: 'Change a report (optimistic locking: a stale `expectedSequence` is 409)',
    authorization: publish(thisReport),
    request: {
      params: z.object({ id: reportIdParam }),
      ...jsonBody(
        z
          .object({
            expectedSequence: z.number().int().min(1),
            name: text(200).optional(),
            description: z.string().max(2000).optional(),
            state: z.enum(['PUBLISHED', 'UNPUBLISHED']).optional(),
          })
          .openapi('UpdateReport'),
      ),
    },
    responses: { 200: json('The report', ReportSchema), ...reportWriteProblems },
  }),
  createVersion: portalRoute({
    method: 'post',
    path: '/reports/{id}/versions',
    tags: ['Reports publishing'],
    summary: 'Register a new version and get a presigned upload URL for its PDF',
    authorization: publish(thisReport),
    request: {
      params: z.object({ id: reportIdParam }),
      ...jsonBody(
        z
          .object({
            expectedSequence: z.number().int().min(1),
            periodStart: isoDate,
            periodEnd: isoDate,
            effectiveDate: isoDate,
            termsRevisionId: z.string().min(1).max(128),
            acceptanceType: z.enum(['EXPLICIT', 'PASSTHROUGH']),
          })
          .openapi('CreateReportVersion'),
      ),
    },
    responses: {
      201: json(
        'The version (PROCESSING) and where to PUT the PDF',
        z.object({
          version: ReportVersionSchema,
          upload: z.object({
            url: z.string(),
            method: z.literal('PUT'),
            headers: z.object({ 'content-type': z.literal('application/pdf') }),
            expiresAt: z.string(),
          }),
        }),
      ),
      ...reportWriteProblems,
    },
  }),
  finalize: portalRoute({
    method: 'post',
    path: '/reports/{id}/versions/{v}/finalize',
    tags: ['Reports publishing'],
    summary: 'Validate the uploaded PDF: COMPLETE (published) or FAILED with the reason',
    authorization: publish(thisReport),
    request: { params: z.object({ id: reportIdParam, v: versionParam }) },
    responses: { 200: json('The version after validation', ReportVersionSchema), ...reportWriteProblems },
  }),
};

export function reportPublishingRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.terms, async (c) => {
    const body = c.req.valid('json');
    const terms = await c.get('deps').reports.publishTerms(principalOf(c), {
      title: body.title,
      text: body.text,
      ...(body.reacceptAfterDays !== undefined ? { reacceptAfterDays: body.reacceptAfterDays } : {}),
    });
    return c.json(
      { revisionId: terms.revisionId, title: terms.title, sha256: terms.sha256, createdAt: terms.createdAt },
      201,
    );
  });
  app.openapi(routes.create, async (c) => {
    const { reports } = c.get('deps');
    const body = c.req.valid('json');
    const report = await reports.createReport(principalOf(c), {
      name: body.name,
      description: body.description,
      category: body.category,
      series: body.series,
      company: body.company,
      thirdParty: body.thirdParty,
      ...(body.state !== undefined ? { state: body.state } : {}),
    });
    return c.json(presentReport(reports.view(report)), 201);
  });
  app.openapi(routes.update, async (c) => {
    const { reports } = c.get('deps');
    const body = c.req.valid('json');
    const report = await reports.updateReport(principalOf(c), c.req.valid('param').id, {
      expectedSequence: body.expectedSequence,
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.state !== undefined ? { state: body.state } : {}),
    });
    return c.json(presentReport(reports.view(report)), 200);
  });
  app.openapi(routes.createVersion, async (c) => {
    const result = await c
      .get('deps')
      .reports.createVersion(principalOf(c), c.req.valid('param').id, c.req.valid('json'));
    const { upload } = result;
    return c.json(
      {
        version: presentVersion(result.version),
        upload: { url: upload.url, method: upload.method, headers: { ...upload.headers }, expiresAt: upload.expiresAt },
      },
      201,
    );
  });
  app.openapi(routes.finalize, async (c) => {
    const { id, v } = c.req.valid('param');
    return c.json(presentVersion(await c.get('deps').reports.finalizeVersion(principalOf(c), id, Number(v))), 200);
  });
  return app;
}
