import { NotFoundError } from '../errors.js';
import { type CatalogQuery, pageCatalog } from './catalog-query.js';
import type { ReportActor, ReportDeps } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import {
  type Report,
  type ReportVersion,
  reportVisibleTo,
  type TermsAcceptance,
  type TermsRevision,
} from './report-model.js';
import {
  parseRecord as parse,
  type ReportVersionView,
  type ReportView,
  type ReportVisibility,
  reportView,
  versionView,
} from './report-records.js';

/**
 * Reading the global catalog: the list (one head read unless this process holds the catalog's stamp),
 * a report, its versions, a version and its terms. Another organization's unpublished report answers
 * like a missing one.
 */

/**
 * At most two store calls (catalog head + chunks). Only the categories `query.within` names are read
 * (the catalog's partitions), then the catalog's own filters apply; then the
 * caller's policies are asked about each remaining report in page order (in memory: the caller's
 * policy set is loaded once per request), only until the page is full.
 */
export async function listReports(
  deps: ReportDeps,
  orgId: string,
  query: CatalogQuery,
  allowed: ReportVisibility,
): Promise<{ items: ReportView[]; nextCursor?: string }> {
  const candidates = await deps.catalog.inCategories(query.within?.category);
  const page = await pageCatalog(candidates, query, (report) => reportVisibleTo(report, orgId) && allowed(report));
  const now = deps.clock.now();
  return {
    items: page.items.map((report) => reportView(report, now)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** One store call. Another org's unpublished report answers like a missing one. */
export async function getReport(deps: ReportDeps, reportId: string, orgId: string): Promise<Report> {
  const report = parse<Report>(await deps.store.get(reportKeys.report(reportId)));
  if (!report || !reportVisibleTo(report, orgId)) throw new NotFoundError(`No report ${reportId}.`);
  return report;
}

/** Complete versions, newest first (the publisher also sees processing and failed ones). */
export async function reportVersions(deps: ReportDeps, report: Report, orgId: string): Promise<ReportVersionView[]> {
  const out: ReportVersion[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(reportKeys.reportPartition(report.id), {
      skPrefix: reportKeys.versionPrefix,
      descending: true,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const item of page.items) {
      const version = parse<ReportVersion>(item);
      if (version) out.push(version);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const now = deps.clock.now();
  return out
    .filter((version) => version.uploadState === 'COMPLETE' || report.publisherOrgId === orgId)
    .map((version) => versionView(version, now));
}

/** Report and version in one batch read; a version not yet downloadable is missing to customers. */
export async function reportVersion(
  deps: ReportDeps,
  reportId: string,
  versionNumber: number,
  orgId: string,
): Promise<{ report: Report; version: ReportVersion }> {
  const items = await deps.store.batchGet([reportKeys.report(reportId), reportKeys.version(reportId, versionNumber)]);
  const report = parse<Report>(items.find((item) => item.sk === 'REPORT'));
  const version = parse<ReportVersion>(items.find((item) => item.sk !== 'REPORT'));
  if (!report || !version || !reportVisibleTo(report, orgId)) {
    throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
  }
  if (version.uploadState !== 'COMPLETE' && report.publisherOrgId !== orgId) {
    throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
  }
  return { report, version };
}

export async function termsRevision(deps: ReportDeps, revisionId: string): Promise<TermsRevision> {
  const terms = parse<TermsRevision>(await deps.store.get(reportKeys.terms(revisionId)));
  if (!terms) throw new NotFoundError(`No terms revision ${revisionId}.`);
  return terms;
}

/** The acceptance of `revisionId` by this principal that still stands, if any. */
export async function standingAcceptance(
  deps: ReportDeps,
  actor: ReportActor,
  terms: TermsRevision,
): Promise<TermsAcceptance | undefined> {
  const page = await deps.store.query(reportKeys.acceptancesOf(actor.orgId, actor.userId, terms.revisionId), {
    index: 'gsi1',
    descending: true,
    limit: 1,
  });
  const latest = parse<TermsAcceptance>(page.items[0]);
  if (!latest) return undefined;
  if (terms.reacceptAfterDays === undefined) return latest;
  const lapses = Date.parse(latest.acceptedAt) + terms.reacceptAfterDays * 86_400_000;
  return lapses > deps.clock.now().getTime() ? latest : undefined;
}
