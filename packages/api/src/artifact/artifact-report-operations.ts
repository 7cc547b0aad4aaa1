import { NotFoundError, type Report, type ReportVersion, ValidationError } from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { clientIp } from '../middleware/authentication.js';
import { principalOf, reportDecision, requireReportAction } from '../routes/reports-schemas.js';
import { artifactAlias, artifactArn, offsetOf, offsetToken } from './artifact-ids.js';
import { parseQuery } from './artifact-input.js';

/** The model's query members, validated as the model states them (ValidationException otherwise). */
export const maxResultsField = z.coerce.number().int().min(1).max(300).optional();
export const nextTokenField = z.string().min(1).max(2048).optional();
const reportIdField = z.string().regex(/^report-[a-zA-Z0-9]{16}$/, 'must match report-[a-zA-Z0-9]{16}');
const versionField = z.coerce.number().int().min(1).optional();

/** The portal's page size is at most 100; Artifact allows 300, and a shorter page is within its contract. */
const pageSize = (maxResults: number | undefined) => Math.min(maxResults ?? 100, 100);

/** A report alias -> the report, if the caller's organization may see it: one read of the alias item (core). */
export async function reportOfAlias(c: Context<AppEnv>, alias: string): Promise<Report> {
  return c.get('deps').reports.ofAlias(alias, principalOf(c).orgId);
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

/** The report and version an operation names (default: the newest), after `authorize` with the report's keys. */
async function reportVersionOf(
  c: Context<AppEnv>,
  action: `portal:${string}`,
  query: { reportId: string; reportVersion?: number | undefined },
) {
  const report = await reportOfAlias(c, query.reportId);
  await requireReportAction(c, action, report);
  const versionNumber = query.reportVersion ?? report.latest?.version;
  if (versionNumber === undefined) throw new NotFoundError(`Report ${query.reportId} has no version yet.`);
  try {
    return await c.get('deps').reports.version(report.id, versionNumber, principalOf(c).orgId);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new NotFoundError(`No version ${versionNumber} of report ${query.reportId}.`);
    throw error;
  }
}

/** ListReports, ListReportVersions, GetReportMetadata, GetTermForReport, GetReport (paths of artifact/2018-05-10). */
export function artifactReportOperations() {
  const app = new Hono<AppEnv>();

  app.get('/v1/report/list', async (c) => {
    const query = parseQuery(c, z.object({ maxResults: maxResultsField, nextToken: nextTokenField }));
    const principal = principalOf(c);
    const page = await c
      .get('deps')
      .reports.list(
        principal.orgId,
        { limit: pageSize(query.maxResults), ...(query.nextToken ? { cursor: query.nextToken } : {}) },
        async (report) => (await reportDecision(c, 'portal:ListReports', report)) === 'Allow',
      );
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
    const report = await reportOfAlias(c, query.reportId);
    await requireReportAction(c, 'portal:GetReport', report);
    const versions = await c.get('deps').reports.versions(report, principalOf(c).orgId);
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
    const { report, version } = await reportVersionOf(c, 'portal:GetReport', query);
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
    const principal = principalOf(c);
    const { report, version } = await reportVersionOf(c, 'portal:AcceptReportTerms', query);
    const terms = await deps.reports.termsRevision(version.termsRevisionId);
    const userAgent = c.req.header('user-agent');
    const accepted = await deps.reports.acceptTerms(principal, report.id, version.version, {
      revisionId: terms.revisionId,
      ip: clientIp(c),
      ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
    });
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
    return c.json({ documentPresignedUrl, termToken: accepted.termToken });
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
    const { report, version } = await reportVersionOf(c, 'portal:DownloadReport', query);
    const { record, copy } = await deps.reports.download(principalOf(c), report.id, version.version, query.termToken);
    return c.json({ documentPresignedUrl: await deps.reports.presignedCopy(record, copy) });
  });

  return app;
}
