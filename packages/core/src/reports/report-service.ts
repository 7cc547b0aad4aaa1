import type { Caller } from '../access/caller.js';
import { NotFoundError } from '../errors.js';
import { acceptTerms } from './accept-terms.js';
import { type CatalogSearchInput, searchCatalog } from './catalog-search.js';
import { type DownloadCopyInput, downloadCopy } from './download-copy.js';
import { getAcceptance, myDownloads, traceDownload } from './download-records.js';
import { downloadReport, presignedCopy } from './download-report.js';
import { createReport, grantPublisher, publishTerms, updateReport } from './publish-report.js';
import { createVersion, finalizeUpload, finalizeVersion } from './publish-version.js';
import type { PublisherGrants } from './publisher-grants.js';
import { getReport, reportVersion, standingAcceptance, termsRevision } from './read-reports.js';
import { backfillReportAliases, reportIdOfAlias } from './report-aliases.js';
import type { ReportCatalog } from './report-catalog.js';
import type { PendingCopy } from './report-copy.js';
import { type ReportActor, type ReportDeps, type ReportServiceDeps, reportDeps } from './report-deps.js';
import { reportDetails, reportVersionDetails, reportWithVersions, versionsOfReport } from './report-details.js';
import type { ReportInput, ReportVersionInput, ReportVersionOrNewestInput } from './report-inputs.js';
import type { DownloadRecord, PublisherGrant, Report, TermsRevision } from './report-model.js';
import { type NewReport, type NewVersion, reportView } from './report-records.js';
import {
  type AcceptReportTermsInput,
  acceptCurrentReportTerms,
  acceptReportTerms,
  termsOfVersion,
} from './report-terms.js';

export * from './catalog-search.js';
export * from './download-copy.js';
export type { ReportActor, ReportServiceDeps } from './report-deps.js';
export * from './report-inputs.js';
export { reportConditionKeys, reportDecision, requireReportAllowed } from './report-question.js';
export * from './report-records.js';
export { acceptReportTermsBody, acceptReportTermsInput, type VersionTerms } from './report-terms.js';

/**
 * Reports: the global catalog, versions and their publishing, terms click-through with single-use
 * term tokens, watermarked downloads and their trace-back. Every acceptance, download and publish is
 * a ledger entry. One use case per file (read-reports, accept-terms, download-report,
 * download-records, publish-report, publish-version); this facade only binds them to their
 * dependencies, built once by composition.
 *
 * The reading and consuming acts are caller-scoped use cases `(caller, input)` that own their zod
 * input and their data-dependent question (`authorize` with the report's category and series):
 * `listReports`, `getReport`, `getReportVersions` (and `getReportWithVersions`), `getReportVersion`, `getReportTerms`,
 * `acceptReportTerms`, `acceptCurrentReportTerms`, `downloadReport`; the /api routes and the
 * Artifact operations both call them. The positional methods below them are the building blocks
 * evidence export and seeds still call with an org or actor they have checked.
 */
export class ReportService {
  private readonly deps: ReportDeps;
  readonly catalog: ReportCatalog;
  /** Publisher grants, managed by the operator organization. */
  readonly publishers: PublisherGrants;

  constructor(deps: ReportServiceDeps) {
    this.deps = reportDeps(deps);
    this.catalog = this.deps.catalog;
    this.publishers = this.deps.publishers;
  }

  listReports(caller: Caller, input: CatalogSearchInput) {
    return searchCatalog(this.deps, caller, input);
  }
  getReport(caller: Caller, input: ReportInput) {
    return reportDetails(this.deps, caller, input);
  }
  getReportVersions(caller: Caller, input: ReportInput) {
    return versionsOfReport(this.deps, caller, input);
  }
  /** The report with its versions (the Artifact ListReportVersions), asked as `getReportVersions` asks. */
  getReportWithVersions(caller: Caller, input: ReportInput) {
    return reportWithVersions(this.deps, caller, input);
  }
  /** One version (the newest when `version` is omitted), as the Artifact GetReportMetadata answers it. */
  getReportVersion(caller: Caller, input: ReportVersionOrNewestInput) {
    return reportVersionDetails(this.deps, caller, input);
  }
  getReportTerms(caller: Caller, input: ReportVersionInput) {
    return termsOfVersion(this.deps, caller, input);
  }
  acceptReportTerms(caller: Caller, input: AcceptReportTermsInput) {
    return acceptReportTerms(this.deps, caller, input);
  }
  /** Accepting the terms a version is shared under now (the Artifact GetTermForReport). */
  acceptCurrentReportTerms(caller: Caller, input: ReportVersionOrNewestInput) {
    return acceptCurrentReportTerms(this.deps, caller, input);
  }
  downloadReport(caller: Caller, input: DownloadCopyInput) {
    return downloadCopy(this.deps, caller, input);
  }

  get(reportId: string, orgId: string) {
    return getReport(this.deps, reportId, orgId);
  }
  /**
   * The report id a public alias (`report-…`, the Artifact API's id) names: one read of its alias item.
   * Whether the caller may see the report is the use case's question.
   */
  async idOfAlias(alias: string): Promise<string> {
    const reportId = await reportIdOfAlias(this.deps.store, alias);
    if (reportId === undefined) throw new NotFoundError(`No report ${alias}.`);
    return reportId;
  }
  /** The report a public alias names, as `get` answers it (the tags module's lookup): the alias item, then the report. */
  async ofAlias(alias: string, orgId: string) {
    return getReport(this.deps, await this.idOfAlias(alias), orgId);
  }
  /** Alias items for reports created before they were written (idempotent). */
  backfillAliases() {
    return backfillReportAliases(this.deps);
  }
  view(report: Report) {
    return reportView(report, this.deps.clock.now());
  }
  version(reportId: string, versionNumber: number, orgId: string) {
    return reportVersion(this.deps, reportId, versionNumber, orgId);
  }
  termsRevision(revisionId: string) {
    return termsRevision(this.deps, revisionId);
  }
  standingAcceptance(actor: ReportActor, terms: TermsRevision) {
    return standingAcceptance(this.deps, actor, terms);
  }
  acceptTerms(...args: Parameters<typeof acceptTerms> extends [unknown, ...infer R] ? R : never) {
    return acceptTerms(this.deps, ...args);
  }
  download(...args: Parameters<typeof downloadReport> extends [unknown, ...infer R] ? R : never) {
    return downloadReport(this.deps, ...args);
  }
  presignedCopy(record: DownloadRecord, copy: PendingCopy) {
    return presignedCopy(this.deps, record, copy);
  }
  myDownloads(actor: ReportActor, options: { cursor?: string; limit?: number }) {
    return myDownloads(this.deps, actor, options);
  }
  traceDownload(orgId: string, downloadId: string) {
    return traceDownload(this.deps, orgId, downloadId);
  }
  getAcceptance(orgId: string, acceptanceId: string) {
    return getAcceptance(this.deps, orgId, acceptanceId);
  }
  grantPublisher(grant: PublisherGrant) {
    return grantPublisher(this.deps, grant);
  }
  publishTerms(actor: ReportActor, input: { title: string; text: string; reacceptAfterDays?: number }) {
    return publishTerms(this.deps, actor, input);
  }
  createReport(actor: ReportActor, input: NewReport) {
    return createReport(this.deps, actor, input);
  }
  updateReport(...args: Parameters<typeof updateReport> extends [unknown, ...infer R] ? R : never) {
    return updateReport(this.deps, ...args);
  }
  createVersion(actor: ReportActor, reportId: string, input: NewVersion) {
    return createVersion(this.deps, actor, reportId, input);
  }
  finalizeUpload(fileKey: string, jobName?: string) {
    return finalizeUpload(this.deps, fileKey, jobName);
  }
  finalizeVersion(actor: ReportActor, reportId: string, versionNumber: number) {
    return finalizeVersion(this.deps, actor, reportId, versionNumber);
  }
}
