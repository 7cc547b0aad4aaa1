import {
  NotFoundError,
  type PrincipalCaller,
  type Report,
  type ReportVersion,
  ValidationError,
} from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { callUseCase } from '../route-kit.js';
import { artifactAlias, artifactArn, offsetOf, offsetToken } from './artifact-ids.js';
import { parseQuery } from './artifact-input.js';

/** The model's query members, validated as the model states them (ValidationException otherwise). */
export const maxResultsField = z.coerce.number().int().min(1).max(300).optional();
export const nextTokenField = z.string().min(1).max(2048).optional();
const reportIdField = z.string().regex(/^report-[a-zA-Z0-9]{16}$/, 'must match report-[a-zA-Z0-9]{16}');
const versionField = z.coerce.number().int().min(1).optional();

/** The portal's page size is at most 100; Artifact allows 300, and a shorter page is within its contract. */
const pageSize = (maxResults: number | undefined) => Math.min(maxResults ?? 100, 100);

/**
 * Runs a reports use case (the same `(caller, input)` use cases the /api routes call, which read the
 * report and ask `authorize` with its keys) for the report an alias names. Errors speak the model's
 * names: the alias for the report, its query members for the use case's fields.
 */
async function forAlias<T>(
  c: Context<AppEnv>,
  alias: string,
  run: (caller: PrincipalCaller, reportId: string) => Promise<T>,
): Promise<T> {
  const reportId = await c.get('deps').reports.idOfAlias(alias);
  try {
    return await callUseCase(c, { rest: 'query' }, (caller) => run(caller, reportId));
  } catch (error) {
    throw inModelTerms(error, reportId, alias);
  }
}

const modelMembers: Record<string, string> = {
  'query.version': 'reportVersion',
  'query.cursor': 'nextToken',
  'query.limit': 'maxResults',
};

function inModelTerms(error: unknown, reportId: string | undefined, alias: string | undefined): unknown {
  const named = (text: string) => (reportId && alias ? text.replaceAll(reportId, alias) : text);
  if (error instanceof NotFoundError) return new NotFoundError(named(error.message), { cause: error });
  if (error instanceof ValidationError) {
    const fields = error.errors.map((field) => ({ ...field, path: modelMembers[field.path] ?? field.path }));
    return new ValidationError(named(error.message), fields, { cause: error });
  }
  return error;
}

function summary(
  c: Context<AppEnv>,
  report: Report,
  version?: Pick<ReportVersion, 'version' | 'periodStart' | 'periodEnd' | 'acceptanceType'>,
) {
  const alias = artifactAlias('report', report.id);
  const v = version ?? report.latest;
  return {
    id: alias,
    name: report.name,
    state: report.state,
    arn: artifactArn(c, 'report', alias),
    ...(v ? { version: v.version, periodStart: v.periodStart, periodEnd: v.periodEnd } : {}),
    uploadState: 'COMPLETE',
    description: report.description,
    series: report.series,
    category: report.category,
    companyName: report.company,
    ...(v ? { acceptanceType: v.acceptanceType } : {}),
  };
}

/** ListReports, ListReportVersions, GetReportMetadata, GetTermForReport, GetReport (paths of artifact/2018-05-10). */
export function artifactReportOperations() {
  const app = new Hono<AppEnv>();

  app.get('/v1/report/list', async (c) => {
    const query = parseQuery(c, z.object({ maxResults: maxResultsField, nextToken: nextTokenField }));
    const page = await callUseCase(c, { rest: 'query' }, (caller) =>
      c.get('deps').reports.listReports(caller, {
        limit: pageSize(query.maxResults),
        ...(query.nextToken ? { cursor: query.nextToken } : {}),
      }),
    ).catch((error) => {
      throw inModelTerms(error, undefined, undefined);
    });
    return c.json({
      reports: page.items.map((report) => summary(c, report)),
      ...(page.nextCursor ? { nextToken: page.nextCursor } : {}),
    });
  });

  app.get('/v1/report/listVersions', async (c) => {
    const query = parseQuery(
      c,
      z.object({ reportId: reportIdField, maxResults: maxResultsField, nextToken: nextTokenField }),
    );
    const { report, versions } = await forAlias(c, query.reportId, (caller, reportId) =>
      c.get('deps').reports.getReportWithVersions(caller, { reportId }),
    );
    const listing = `versions:${query.reportId}`;
    const offset = offsetOf(listing, query.nextToken);
    if (offset === undefined) {
      throw new ValidationError('Invalid nextToken.', [{ path: 'nextToken', message: 'not a token of this listing' }]);
    }
    const size = pageSize(query.maxResults);
    const page = versions.slice(offset, offset + size);
    return c.json({
      reports: page.map((version) => summary(c, report, version)),
      ...(offset + size < versions.length ? { nextToken: offsetToken(listing, offset + size) } : {}),
    });
  });

  app.get('/v1/report/getMetadata', async (c) => {
    const query = parseQuery(c, z.object({ reportId: reportIdField, reportVersion: versionField }));
    const { report, version } = await forAlias(c, query.reportId, (caller, reportId) =>
      c.get('deps').reports.getReportVersion(caller, { reportId, version: query.reportVersion }),
    );
    return c.json({
      reportDetails: {
        ...summary(c, report, version),
        createdAt: version.createdAt,
        lastModifiedAt: version.uploadedAt ?? version.createdAt,
        termArn: artifactArn(c, 'term', artifactAlias('term', version.termsRevisionId)),
        sequenceNumber: version.sequence,
        statusMessage: version.statusMessage || 'Report is available.',
      },
    });
  });

  // Asking for the term is accepting it, as in Artifact: the token it returns is what GetReport takes.
  app.get('/v1/report/getTermForReport', async (c) => {
    const query = parseQuery(c, z.object({ reportId: reportIdField, reportVersion: versionField }));
    const deps = c.get('deps');
    const { terms, termToken } = await forAlias(c, query.reportId, (caller, reportId) =>
      deps.reports.acceptCurrentReportTerms(caller, { reportId, version: query.reportVersion }),
    );
    // The terms document beside the reports, addressed by its revision (immutable), behind a short-lived URL.
    const key = `terms/${terms.revisionId}.txt`;
    if (!(await deps.blobs.head('reports', key))) {
      await deps.blobs.put('reports', key, new TextEncoder().encode(`${terms.title}\n\n${terms.text}\n`), {
        contentType: 'text/plain; charset=utf-8',
      });
    }
    const documentPresignedUrl = await deps.blobs.presignGet('reports', key, {
      expiresInSeconds: 300,
      downloadFilename: `${terms.revisionId}.txt`,
    });
    return c.json({ documentPresignedUrl, termToken });
  });

  // The watermarked copy, recorded as a download like any other, behind a short-lived URL.
  app.get('/v1/report/get', async (c) => {
    const query = parseQuery(
      c,
      z.object({
        reportId: reportIdField,
        reportVersion: versionField,
        termToken: z.string().min(1).max(256),
      }),
    );
    const deps = c.get('deps');
    const { record, copy } = await forAlias(c, query.reportId, (caller, reportId) =>
      deps.reports.downloadReport(caller, { reportId, version: query.reportVersion, termToken: query.termToken }),
    );
    return c.json({ documentPresignedUrl: await deps.reports.presignedCopy(record, copy) });
  });

  return app;
}
