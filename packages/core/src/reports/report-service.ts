import { randomBytes } from 'node:crypto';
import { actorOf } from '../access/actor.js';
import type { Principal } from '../access/principal.js';
import { downloadArn, reportArn, reportTermsArn } from '../access/resources.js';
import {
  ConditionFailedError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransactionConflictError,
  ValidationError,
} from '../errors.js';
import type { LedgerActor, LedgerAppendInput, LedgerWriter } from '../ledger/ledger-writer.js';
import { systemActor } from '../organization/directory-deps.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock, IdGenerator, Logger } from '../ports/runtime.js';
import type { Item, Store, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { type CatalogQuery, queryCatalog } from './catalog-query.js';
import { PublisherGrants, publisherGrantItem } from './publisher-grants.js';
import { ReportCatalog } from './report-catalog.js';
import { type PendingCopy, ReportCopies } from './report-copy.js';
import { freshness } from './report-freshness.js';
import { reportKeys } from './report-keys.js';
import {
  type AcceptanceType,
  type DownloadRecord,
  type PublisherGrant,
  type Report,
  type ReportState,
  type ReportVersion,
  reportVisibleTo,
  type TermsAcceptance,
  type TermsRevision,
} from './report-model.js';
import { inProcessPdfWork, type ReportPdfWork } from './report-pdf-work.js';

export interface ReportServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
  ledger: LedgerWriter;
  /** Largest report file publishing accepts. */
  maxReportBytes?: number;
  termTokenTtlSeconds?: number;
  uploadUrlTtlSeconds?: number;
  downloadUrlTtlSeconds?: number;
  /** Font for the full-rewrite watermark; the bundled DejaVu Sans when absent. */
  watermarkFont?: Uint8Array;
  /** Where publish-time parsing and full rewrites run; this thread when absent. */
  pdfWork?: ReportPdfWork;
  logger?: Logger;
}

/** Who asks: a signed-in principal, or the system (seeding, jobs) acting for a publisher org. */
export type ReportActor = Pick<Principal, 'orgId' | 'accountId' | 'userId' | 'email'> & {
  role?: Principal['role'];
  /** A job acting for the publisher org (e.g. upload validation): recorded as a system actor. */
  system?: boolean;
};

export interface ReportView extends Report {
  bridgeLetterDue: boolean;
  lapsesOn?: string;
  lapsingSoon: boolean;
}

export interface ReportVersionView extends ReportVersion {
  lapsesOn: string;
  lapsingSoon: boolean;
  lapsed: boolean;
}

export interface NewReport {
  name: string;
  description: string;
  category: string;
  series: string;
  company: string;
  thirdParty: boolean;
  state?: ReportState;
}

export interface NewVersion {
  expectedSequence: number;
  periodStart: string;
  periodEnd: string;
  effectiveDate: string;
  termsRevisionId: string;
  acceptanceType: AcceptanceType;
}

export interface UploadInstructions {
  url: string;
  method: 'PUT';
  headers: { 'content-type': 'application/pdf' };
  expiresAt: string;
}

/** Decides whether the caller may see a report of this category and series (policy conditions). */
export type ReportVisibility = (report: Report) => Promise<boolean>;

const defaults = {
  maxReportBytes: 100 * 1024 * 1024,
  termTokenTtlSeconds: 15 * 60,
  uploadUrlTtlSeconds: 15 * 60,
  downloadUrlTtlSeconds: 60,
};
const maxWriteAttempts = 6;

function parse<T>(item: Item | undefined): T | undefined {
  return item ? (JSON.parse(String(item.data)) as T) : undefined;
}

/** Store items of reports and versions: key attributes, the sequence for conditions, the JSON body. */
export function reportItem(report: Report, catalogChunk: number): Item {
  return { ...reportKeys.report(report.id), sequence: report.sequence, catalogChunk, data: JSON.stringify(report) };
}

export function versionItem(version: ReportVersion): Item {
  return {
    ...reportKeys.version(version.reportId, version.version),
    sequence: version.sequence,
    data: JSON.stringify(version),
  };
}

function reportActorOf(actor: ReportActor): LedgerActor {
  return actor.system ? systemActor(actor.userId) : actorOf(actor);
}

export function reportView(report: Report, now: Date): ReportView {
  if (!report.latest) return { ...report, bridgeLetterDue: false, lapsingSoon: false };
  const fresh = freshness(report.latest.periodEnd, now);
  return { ...report, bridgeLetterDue: fresh.lapsed, lapsesOn: fresh.lapsesOn, lapsingSoon: fresh.lapsingSoon };
}

function versionView(version: ReportVersion, now: Date): ReportVersionView {
  const fresh = freshness(version.periodEnd, now);
  return { ...version, lapsesOn: fresh.lapsesOn, lapsingSoon: fresh.lapsingSoon, lapsed: fresh.lapsed };
}

/**
 * Reports: the global catalog, versions and their publishing, terms click-through with single-use
 * term tokens, watermarked downloads and their trace-back. Every acceptance, download and publish is
 * a ledger entry.
 */
export class ReportService {
  readonly catalog: ReportCatalog;
  private readonly settings: typeof defaults;
  private readonly copies: ReportCopies;
  /** Publisher grants, managed by the operator organization. */
  readonly publishers: PublisherGrants;

  constructor(private readonly deps: ReportServiceDeps) {
    this.catalog = new ReportCatalog(deps.store, deps.ids);
    this.settings = {
      maxReportBytes: deps.maxReportBytes ?? defaults.maxReportBytes,
      termTokenTtlSeconds: deps.termTokenTtlSeconds ?? defaults.termTokenTtlSeconds,
      uploadUrlTtlSeconds: deps.uploadUrlTtlSeconds ?? defaults.uploadUrlTtlSeconds,
      downloadUrlTtlSeconds: deps.downloadUrlTtlSeconds ?? defaults.downloadUrlTtlSeconds,
    };
    this.publishers = new PublisherGrants({ store: deps.store, ledger: deps.ledger });
    this.copies = new ReportCopies({
      blobs: deps.blobs,
      pdfWork: deps.pdfWork ?? inProcessPdfWork,
      maxReportBytes: this.settings.maxReportBytes,
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.watermarkFont ? { watermarkFont: deps.watermarkFont } : {}),
    });
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // ---- Reading the catalog -------------------------------------------------------------------

  /** What a caller sees: published reports with a downloadable version, or its own org's reports. */
  isVisible(report: Report, orgId: string): boolean {
    return reportVisibleTo(report, orgId);
  }

  /** At most two store calls (catalog head + chunks); policy checks are memoized per category/series. */
  async list(
    orgId: string,
    query: CatalogQuery,
    allowed: ReportVisibility,
  ): Promise<{ items: ReportView[]; nextCursor?: string }> {
    const all = await this.catalog.all();
    const decisions = new Map<string, Promise<boolean>>();
    const visible: Report[] = [];
    for (const report of all) {
      if (!this.isVisible(report, orgId)) continue;
      const key = JSON.stringify([report.category, report.series]);
      let decision = decisions.get(key);
      if (!decision) {
        decision = allowed(report);
        decisions.set(key, decision);
      }
      if (await decision) visible.push(report);
    }
    const page = queryCatalog(visible, query);
    const now = this.now();
    return {
      items: page.items.map((report) => reportView(report, now)),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /** One store call. Another org's unpublished report answers like a missing one. */
  async get(reportId: string, orgId: string): Promise<Report> {
    const report = parse<Report>(await this.deps.store.get(reportKeys.report(reportId)));
    if (!report || !this.isVisible(report, orgId)) throw new NotFoundError(`No report ${reportId}.`);
    return report;
  }

  view(report: Report): ReportView {
    return reportView(report, this.now());
  }

  /** Complete versions, newest first (the publisher also sees processing and failed ones). */
  async versions(report: Report, orgId: string): Promise<ReportVersionView[]> {
    const out: ReportVersion[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.query(reportKeys.reportPartition(report.id), {
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
    const now = this.now();
    return out
      .filter((version) => version.uploadState === 'COMPLETE' || report.publisherOrgId === orgId)
      .map((version) => versionView(version, now));
  }

  /** Report and version in one batch read; a version not yet downloadable is missing to customers. */
  async version(
    reportId: string,
    versionNumber: number,
    orgId: string,
  ): Promise<{ report: Report; version: ReportVersion }> {
    const items = await this.deps.store.batchGet([
      reportKeys.report(reportId),
      reportKeys.version(reportId, versionNumber),
    ]);
    const report = parse<Report>(items.find((item) => item.sk === 'REPORT'));
    const version = parse<ReportVersion>(items.find((item) => item.sk !== 'REPORT'));
    if (!report || !version || !this.isVisible(report, orgId)) {
      throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
    }
    if (version.uploadState !== 'COMPLETE' && report.publisherOrgId !== orgId) {
      throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
    }
    return { report, version };
  }

  async termsRevision(revisionId: string): Promise<TermsRevision> {
    const terms = parse<TermsRevision>(await this.deps.store.get(reportKeys.terms(revisionId)));
    if (!terms) throw new NotFoundError(`No terms revision ${revisionId}.`);
    return terms;
  }

  // ---- Terms, tokens, downloads ------------------------------------------------------------

  /** The acceptance of `revisionId` by this principal that still stands, if any. */
  async standingAcceptance(actor: ReportActor, terms: TermsRevision): Promise<TermsAcceptance | undefined> {
    const page = await this.deps.store.query(reportKeys.acceptancesOf(actor.orgId, actor.userId, terms.revisionId), {
      index: 'gsi1',
      descending: true,
      limit: 1,
    });
    const latest = parse<TermsAcceptance>(page.items[0]);
    if (!latest) return undefined;
    if (terms.reacceptAfterDays === undefined) return latest;
    const lapses = Date.parse(latest.acceptedAt) + terms.reacceptAfterDays * 86_400_000;
    return lapses > this.now().getTime() ? latest : undefined;
  }

  /**
   * Records the acceptance (unless one still stands) and issues a single-use term token bound to
   * this principal and report version. `revisionId` is the revision the user was shown.
   */
  async acceptTerms(
    actor: ReportActor,
    reportId: string,
    versionNumber: number,
    input: { revisionId: string; ip?: string; userAgent?: string },
  ): Promise<{ termToken: string; expiresAt: string; acceptance: TermsAcceptance }> {
    const { report, version } = await this.version(reportId, versionNumber, actor.orgId);
    if (version.uploadState !== 'COMPLETE')
      throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
    if (input.revisionId !== version.termsRevisionId) {
      throw new ConflictError(
        `The terms changed: revision ${version.termsRevisionId} applies now, not ${input.revisionId}. Read the current terms and accept them.`,
        'terms_revision_stale',
      );
    }
    const terms = await this.termsRevision(version.termsRevisionId);
    const now = this.now();
    let acceptance = await this.standingAcceptance(actor, terms);
    if (!acceptance) {
      acceptance = {
        acceptanceId: `acc-${this.deps.ids.newId()}`,
        orgId: actor.orgId,
        userId: actor.userId,
        email: actor.email,
        accountId: actor.accountId,
        reportId,
        version: versionNumber,
        revisionId: terms.revisionId,
        termsSha256: terms.sha256,
        acceptanceType: version.acceptanceType,
        acceptedAt: now.toISOString(),
        ...(input.ip ? { ip: input.ip } : {}),
        ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 512) } : {}),
      };
      await this.deps.ledger.append({
        orgId: actor.orgId,
        actor: reportActorOf(actor),
        action: 'report:TermsAccepted',
        subject: reportArn(actor.orgId, reportId, actor.accountId),
        accountId: actor.accountId,
        details: {
          category: report.category,
          series: report.series,
          reportId,
          version: versionNumber,
          acceptanceId: acceptance.acceptanceId,
          termsRevisionId: terms.revisionId,
          termsSha256: terms.sha256,
          acceptanceType: version.acceptanceType,
        },
        alsoWrite: [
          {
            kind: 'put',
            item: {
              ...reportKeys.acceptance(actor.orgId, acceptance.acceptanceId),
              gsi1pk: reportKeys.acceptancesOf(actor.orgId, actor.userId, terms.revisionId),
              gsi1sk: `${acceptance.acceptedAt}#${acceptance.acceptanceId}`,
              data: JSON.stringify(acceptance),
            },
            condition: { kind: 'notExists' },
          },
        ],
      });
    }
    const termToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.settings.termTokenTtlSeconds * 1000);
    await this.deps.store.put(
      {
        ...reportKeys.termToken(sha256Hex(termToken)),
        orgId: actor.orgId,
        userId: actor.userId,
        reportId,
        version: versionNumber,
        revisionId: terms.revisionId,
        acceptanceId: acceptance.acceptanceId,
        expiresAt: expiresAt.toISOString(),
        used: false,
        ttl: Math.floor(expiresAt.getTime() / 1000) + 86_400,
      },
      { kind: 'notExists' },
    );
    return { termToken, expiresAt: expiresAt.toISOString(), acceptance };
  }

  /**
   * Redeems a term token for one watermarked copy. No token -> 403 naming the terms; a token for
   * another principal or version, or expired -> 403; already used -> 409. The token's use and the
   * download record are one transaction, so a token yields exactly one download. The copy's size
   * and SHA-256 are known before the record is written; its bytes flow only after it is.
   */
  async download(
    actor: ReportActor & { displayName: string },
    reportId: string,
    versionNumber: number,
    termToken: string | undefined,
  ): Promise<{ record: DownloadRecord; copy: PendingCopy }> {
    const { report, version } = await this.version(reportId, versionNumber, actor.orgId);
    if (version.uploadState !== 'COMPLETE')
      throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
    if (!termToken) {
      const terms = await this.termsRevision(version.termsRevisionId);
      throw new ForbiddenError(
        `Accept the terms "${terms.title}" (revision ${terms.revisionId}) first: POST /api/reports/${reportId}/versions/${versionNumber}/terms/acceptances, then download with the termToken it returns.`,
        'terms_not_accepted',
      );
    }
    const tokenKey = reportKeys.termToken(sha256Hex(termToken));
    const token = await this.deps.store.get(tokenKey, { consistent: true });
    if (
      !token ||
      token.orgId !== actor.orgId ||
      token.userId !== actor.userId ||
      token.reportId !== reportId ||
      token.version !== versionNumber
    ) {
      throw new ForbiddenError('This term token was not issued to you for this report version.', 'term_token_invalid');
    }
    const now = this.now();
    if (Date.parse(String(token.expiresAt)) <= now.getTime()) {
      throw new ForbiddenError('The term token expired; accept the terms again for a new one.', 'term_token_expired');
    }
    if (token.used === true) throw this.tokenUsed();
    if (token.revisionId !== version.termsRevisionId) {
      throw new ForbiddenError(
        'The terms changed since this token was issued; accept the current terms.',
        'term_token_invalid',
      );
    }

    const downloadId = `dl-${this.deps.ids.newId()}`;
    const copy = await this.copies.make(version, {
      email: actor.email,
      displayName: actor.displayName,
      accountId: actor.accountId,
      time: now,
      downloadId,
      termsRevision: version.termsRevisionId,
    });
    const record: DownloadRecord = {
      downloadId,
      orgId: actor.orgId,
      userId: actor.userId,
      email: actor.email,
      displayName: actor.displayName,
      accountId: actor.accountId,
      reportId,
      reportName: report.name,
      category: report.category,
      series: report.series,
      version: versionNumber,
      termsRevisionId: version.termsRevisionId,
      acceptanceId: String(token.acceptanceId),
      downloadedAt: now.toISOString(),
      sourceSha256: version.sha256 ?? '',
      deliveredSha256: copy.sha256,
    };
    try {
      await this.deps.ledger.append({
        orgId: actor.orgId,
        actor: reportActorOf(actor),
        action: 'report:Downloaded',
        subject: downloadArn(actor.orgId, actor.accountId, downloadId),
        accountId: actor.accountId,
        details: {
          category: report.category,
          series: report.series,
          reportId,
          version: versionNumber,
          downloadId,
          termsRevisionId: version.termsRevisionId,
          deliveredSha256: record.deliveredSha256,
        },
        alsoWrite: [
          {
            kind: 'put',
            item: { ...token, ...tokenKey, used: true, usedAt: record.downloadedAt, downloadId },
            condition: { kind: 'equals', attribute: 'used', value: false },
          },
          {
            kind: 'put',
            item: {
              ...reportKeys.download(actor.orgId, downloadId),
              gsi1pk: reportKeys.downloadsOf(actor.orgId, actor.userId),
              gsi1sk: `${record.downloadedAt}#${downloadId}`,
              data: JSON.stringify(record),
            },
            condition: { kind: 'notExists' },
          },
        ],
      });
    } catch (error) {
      copy.abort();
      if (error instanceof ConditionFailedError || error instanceof TransactionConflictError) throw this.tokenUsed();
      throw error;
    }
    return { record, copy };
  }

  private tokenUsed(): ConflictError {
    return new ConflictError(
      'This term token was already used for a download; ask for a new one (POST .../terms/acceptances) — your acceptance still stands.',
      'term_token_used',
    );
  }

  /**
   * Streams the copy into the bucket and answers a short-lived URL for it (the AWS delivery path:
   * API Gateway buffers responses, so the bytes go to S3, never through the function's memory whole).
   */
  async presignedCopy(record: DownloadRecord, copy: PendingCopy): Promise<string> {
    const key = `downloads/${record.orgId}/${record.downloadId}.pdf`;
    await this.deps.blobs.put('reports', key, copy.body, {
      contentType: 'application/pdf',
      contentLength: copy.size,
      metadata: { downloadid: record.downloadId },
    });
    return this.deps.blobs.presignGet('reports', key, {
      expiresInSeconds: this.settings.downloadUrlTtlSeconds,
      downloadFilename: downloadFilename(record),
    });
  }

  async myDownloads(
    actor: ReportActor,
    options: { cursor?: string; limit?: number },
  ): Promise<{ items: DownloadRecord[]; nextCursor?: string }> {
    const page = await this.deps.store.query(reportKeys.downloadsOf(actor.orgId, actor.userId), {
      index: 'gsi1',
      descending: true,
      limit: Math.min(Math.max(options.limit ?? 25, 1), 100),
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    return {
      items: page.items.flatMap((item) => parse<DownloadRecord>(item) ?? []),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /** Trace-back: only within the caller's org (another org's id is simply not found). */
  async traceDownload(
    orgId: string,
    downloadId: string,
  ): Promise<{ download: DownloadRecord; acceptance?: TermsAcceptance }> {
    const download = parse<DownloadRecord>(await this.deps.store.get(reportKeys.download(orgId, downloadId)));
    if (!download) throw new NotFoundError(`No download ${downloadId}.`);
    const acceptance = parse<TermsAcceptance>(
      await this.deps.store.get(reportKeys.acceptance(orgId, download.acceptanceId)),
    );
    return { download, ...(acceptance ? { acceptance } : {}) };
  }

  async getAcceptance(orgId: string, acceptanceId: string): Promise<TermsAcceptance> {
    const acceptance = parse<TermsAcceptance>(await this.deps.store.get(reportKeys.acceptance(orgId, acceptanceId)));
    if (!acceptance) throw new NotFoundError(`No acceptance ${acceptanceId}.`);
    return acceptance;
  }

  // ---- Publishing ----------------------------------------------------------------------------

  async grantPublisher(grant: PublisherGrant): Promise<void> {
    await this.deps.store.put(publisherGrantItem(grant));
  }

  private async requirePublisher(orgId: string, company?: string): Promise<PublisherGrant> {
    const grant = parse<PublisherGrant>(await this.deps.store.get(reportKeys.publisher(orgId)));
    if (!grant) throw new ForbiddenError('This organization holds no publisher grant.', 'not_a_publisher');
    if (company !== undefined && !grant.operator && !grant.companies.includes(company)) {
      throw new ForbiddenError(
        `This organization may publish reports of ${grant.companies.join(', ') || 'no company'} only.`,
        'not_a_publisher',
      );
    }
    return grant;
  }

  async publishTerms(
    actor: ReportActor,
    input: { title: string; text: string; reacceptAfterDays?: number },
  ): Promise<TermsRevision> {
    await this.requirePublisher(actor.orgId);
    const terms: TermsRevision = {
      revisionId: `tr-${this.deps.ids.newId()}`,
      title: input.title,
      text: input.text,
      sha256: sha256Hex(input.text),
      ...(input.reacceptAfterDays !== undefined ? { reacceptAfterDays: input.reacceptAfterDays } : {}),
      createdAt: this.now().toISOString(),
    };
    await this.deps.ledger.append({
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:TermsPublished',
      subject: reportTermsArn(actor.orgId, terms.revisionId, actor.accountId),
      details: { revisionId: terms.revisionId, sha256: terms.sha256, title: terms.title },
      alsoWrite: [
        {
          kind: 'put',
          item: { ...reportKeys.terms(terms.revisionId), data: JSON.stringify(terms) },
          condition: { kind: 'notExists' },
        },
      ],
    });
    return terms;
  }

  /** Only the publishing org may change a report; to others it does not exist. */
  private async ownReport(
    actor: ReportActor,
    reportId: string,
  ): Promise<{ report: Report; chunk: number | undefined }> {
    const item = await this.deps.store.get(reportKeys.report(reportId), { consistent: true });
    const report = parse<Report>(item);
    if (!item || !report || (report.publisherOrgId !== actor.orgId && report.state !== 'PUBLISHED')) {
      throw new NotFoundError(`No report ${reportId}.`);
    }
    if (report.publisherOrgId !== actor.orgId) {
      throw new ForbiddenError('Only the publishing organization may change this report.', 'not_the_publisher');
    }
    return { report, chunk: typeof item.catalogChunk === 'number' ? item.catalogChunk : undefined };
  }

  /**
   * Writes a report item (conditioned on the sequence read) together with its catalog chunk and any
   * extra operations, retrying only when a concurrent publish of another report moved the catalog.
   * With `entry`, the writes commit in the same transaction as that ledger entry.
   */
  private async writeReport(
    next: Report,
    previousSequence: number | undefined,
    chunk: number | undefined,
    extra: WriteOp[] = [],
    entry?: LedgerAppendInput,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const catalog = await this.catalog.upsertOps(next, chunk);
      const ops: WriteOp[] = [
        {
          kind: 'put',
          item: reportItem(next, catalog.chunk),
          condition:
            previousSequence === undefined
              ? { kind: 'notExists' }
              : { kind: 'equals', attribute: 'sequence', value: previousSequence },
        },
        ...extra,
        ...catalog.ops,
      ];
      try {
        if (entry) await this.deps.ledger.append({ ...entry, alsoWrite: ops });
        else await this.deps.store.transact(ops);
        return;
      } catch (error) {
        if (!(error instanceof ConditionFailedError || error instanceof TransactionConflictError)) throw error;
        const current = await this.deps.store.get(reportKeys.report(next.id), { consistent: true });
        const stale = previousSequence === undefined ? current !== undefined : current?.sequence !== previousSequence;
        if (stale) throw staleReport(next.id);
        if (attempt >= maxWriteAttempts)
          throw new ConflictError('The catalog is busy; retry the request.', 'catalog_busy');
      }
    }
  }

  async createReport(actor: ReportActor, input: NewReport): Promise<Report> {
    const grant = await this.requirePublisher(actor.orgId, input.company);
    if (input.thirdParty === false && !grant.operator) {
      throw new ValidationError('Vendor reports are third-party reports', [
        { path: 'body.thirdParty', message: 'must be true for a vendor publisher' },
      ]);
    }
    const now = this.now().toISOString();
    const report: Report = {
      id: `rpt-${this.deps.ids.newId().toLowerCase()}`,
      ...input,
      state: input.state ?? 'PUBLISHED',
      publisherOrgId: actor.orgId,
      sequence: 1,
      versionCount: 0,
      periods: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.writeReport(report, undefined, undefined, [], {
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:Created',
      subject: reportArn(actor.orgId, report.id, actor.accountId),
      details: { category: report.category, series: report.series, reportId: report.id, name: report.name },
    });
    return report;
  }

  async updateReport(
    actor: ReportActor,
    reportId: string,
    input: { expectedSequence: number; name?: string; description?: string; state?: ReportState },
  ): Promise<Report> {
    const { report, chunk } = await this.ownReport(actor, reportId);
    if (report.sequence !== input.expectedSequence) throw staleReport(reportId);
    const next: Report = {
      ...report,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
      sequence: report.sequence + 1,
      updatedAt: this.now().toISOString(),
    };
    await this.writeReport(next, report.sequence, chunk, [], {
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:Updated',
      subject: reportArn(actor.orgId, reportId, actor.accountId),
      details: { category: next.category, series: next.series, reportId, state: next.state },
    });
    return next;
  }

  /** Registers a version in PROCESSING and answers where to upload its PDF. */
  async createVersion(
    actor: ReportActor,
    reportId: string,
    input: NewVersion,
  ): Promise<{ version: ReportVersion; upload: UploadInstructions }> {
    const { report, chunk } = await this.ownReport(actor, reportId);
    if (report.sequence !== input.expectedSequence) throw staleReport(reportId);
    if (input.periodStart > input.periodEnd) {
      throw new ValidationError('The reporting period ends before it starts', [
        { path: 'body.periodEnd', message: 'must not precede periodStart' },
      ]);
    }
    await this.termsRevision(input.termsRevisionId).catch((error: unknown) => {
      if (error instanceof NotFoundError) {
        throw new ValidationError('Unknown terms revision', [
          { path: 'body.termsRevisionId', message: 'no such terms revision' },
        ]);
      }
      throw error;
    });
    const now = this.now();
    const number = report.versionCount + 1;
    const version: ReportVersion = {
      reportId,
      version: number,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      effectiveDate: input.effectiveDate,
      termsRevisionId: input.termsRevisionId,
      acceptanceType: input.acceptanceType,
      uploadState: 'PROCESSING',
      statusMessage: 'Waiting for the file upload.',
      fileKey: `originals/${reportId}/${number}/${this.deps.ids.newId()}.pdf`,
      createdAt: now.toISOString(),
      sequence: 1,
    };
    const next: Report = {
      ...report,
      versionCount: number,
      sequence: report.sequence + 1,
      updatedAt: now.toISOString(),
    };
    await this.writeReport(next, report.sequence, chunk, [
      {
        kind: 'put',
        item: versionItem(version),
        condition: { kind: 'notExists' },
      },
    ]);
    const url = await this.deps.blobs.presignPut('reports', version.fileKey, {
      expiresInSeconds: this.settings.uploadUrlTtlSeconds,
      contentType: 'application/pdf',
    });
    return {
      version,
      upload: {
        url,
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        expiresAt: new Date(now.getTime() + this.settings.uploadUrlTtlSeconds * 1000).toISOString(),
      },
    };
  }

  private async readBlob(key: string): Promise<Uint8Array> {
    const blob = await this.deps.blobs.get('reports', key);
    const chunks: Buffer[] = [];
    for await (const chunk of blob.body) chunks.push(Buffer.from(chunk as Uint8Array));
    return new Uint8Array(Buffer.concat(chunks));
  }

  /**
   * The upload-validation job's entry: resolves an uploaded object key to its version and finalizes it
   * as the publishing org's system actor. Keys it does not know are ignored (undefined).
   */
  async finalizeUpload(fileKey: string, jobName = 'report-validation'): Promise<ReportVersion | undefined> {
    const match = /^originals\/(rpt-[0-9a-z]+)\/(\d+)\//.exec(fileKey);
    if (!match?.[1] || !match[2]) return undefined;
    const report = parse<Report>(await this.deps.store.get(reportKeys.report(match[1]), { consistent: true }));
    if (!report) return undefined;
    const actor: ReportActor = {
      orgId: report.publisherOrgId,
      accountId: '',
      userId: jobName,
      email: '',
      system: true,
    };
    try {
      return await this.finalizeVersion(actor, report.id, Number(match[2]));
    } catch (error) {
      // Already finalized (the publisher called finalize first): nothing left to do.
      if (error instanceof ConflictError && error.code === 'version_already_final') return undefined;
      throw error;
    }
  }

  /**
   * Validates the uploaded file. A bad file ends FAILED with its reason and never reaches the
   * catalog; a good one becomes COMPLETE and, when newest, the report's current version.
   */
  async finalizeVersion(actor: ReportActor, reportId: string, versionNumber: number): Promise<ReportVersion> {
    const { report, chunk } = await this.ownReport(actor, reportId);
    const storedVersion = await this.deps.store.get(reportKeys.version(reportId, versionNumber), { consistent: true });
    const version = parse<ReportVersion>(storedVersion);
    if (!version) throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
    if (version.uploadState !== 'PROCESSING') {
      throw new ConflictError(`Version ${versionNumber} is already ${version.uploadState}.`, 'version_already_final');
    }
    const head = await this.deps.blobs.head('reports', version.fileKey);
    if (!head) throw new ConflictError('No file has been uploaded for this version yet.', 'upload_missing');
    const now = this.now().toISOString();
    const pdfWork = this.deps.pdfWork ?? inProcessPdfWork;
    const check =
      head.contentLength !== undefined && head.contentLength > this.settings.maxReportBytes
        ? ({
            ok: false,
            reason: `The file is ${head.contentLength} bytes; the limit is ${this.settings.maxReportBytes} bytes.`,
          } as const)
        : await this.readBlob(version.fileKey)
            .then((bytes) =>
              pdfWork.validate(bytes, { maxBytes: this.settings.maxReportBytes }).then((result) => ({
                result,
                size: bytes.byteLength,
              })),
            )
            .then(({ result, size }) => (result.ok ? { ...result, size } : result));
    if (!check.ok) {
      const failed: ReportVersion = {
        ...version,
        uploadState: 'FAILED',
        statusMessage: check.reason,
        uploadedAt: now,
        sequence: version.sequence + 1,
      };
      await this.deps.store
        .put(versionItem(failed), { kind: 'equals', attribute: 'sequence', value: version.sequence })
        .catch((error: unknown) => {
          throw error instanceof ConditionFailedError
            ? new ConflictError('The version changed meanwhile; reload it.', 'stale_version')
            : error;
        });
      return failed;
    }
    // Downloads stamp from this description; written before the version is downloadable.
    await this.copies.storePreparation(
      version.fileKey,
      check.prepared ?? {
        format: 'evidence-portal/unprepared@1',
        sha256: check.sha256,
        unsupported: check.fastPathUnsupported ?? 'not prepared',
      },
    );
    const complete: ReportVersion = {
      ...version,
      uploadState: 'COMPLETE',
      statusMessage: publishedMessage(check),
      sha256: check.sha256,
      size: check.size,
      pageCount: check.pageCount,
      uploadedAt: now,
      sequence: version.sequence + 1,
    };
    const firstVersion = report.latest === undefined;
    const newest = firstVersion || (report.latest?.version ?? 0) < versionNumber;
    const next: Report = {
      ...report,
      sequence: report.sequence + 1,
      updatedAt: now,
      periods: [...report.periods, [complete.periodStart, complete.periodEnd]],
      ...(newest
        ? {
            latest: {
              version: versionNumber,
              periodStart: complete.periodStart,
              periodEnd: complete.periodEnd,
              effectiveDate: complete.effectiveDate,
              acceptanceType: complete.acceptanceType,
              termsRevisionId: complete.termsRevisionId,
              pageCount: check.pageCount,
              publishedAt: now,
            },
          }
        : {}),
    };
    const details = {
      category: report.category,
      series: report.series,
      reportId,
      name: report.name,
      version: versionNumber,
    };
    const subject = reportArn(actor.orgId, reportId, actor.accountId);
    const versionPublished: LedgerAppendInput = {
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:VersionPublished',
      subject,
      details: { ...details, sha256: check.sha256, pageCount: check.pageCount },
    };
    // The writes go with the first entry of the act; a first version's second entry follows it (one
    // append carries one entry).
    const first: LedgerAppendInput = firstVersion
      ? { orgId: actor.orgId, actor: reportActorOf(actor), action: 'report:Published', subject, details }
      : versionPublished;
    await this.writeReport(
      next,
      report.sequence,
      chunk,
      [
        {
          kind: 'put',
          item: versionItem(complete),
          condition: { kind: 'equals', attribute: 'sequence', value: version.sequence },
        },
      ],
      first,
    );
    if (firstVersion) await this.deps.ledger.append(versionPublished);
    return complete;
  }
}

/** What the publisher reads about a validated file: signatures and the delivery path are worth knowing. */
function publishedMessage(check: { signatures: number; fastPathUnsupported?: string }): string {
  const parts = ['Validated and published.'];
  if (check.signatures > 0) {
    parts.push(
      `Digitally signed (${check.signatures} signature${check.signatures > 1 ? 's' : ''}): each copy is the signed file plus an incremental update, so the signature stays valid and readers show the document as changed after signing.`,
    );
  }
  if (check.fastPathUnsupported) {
    parts.push(`Copies are made by a full rewrite (${check.fastPathUnsupported}), which invalidates any signature.`);
  }
  return parts.join(' ');
}

function staleReport(reportId: string): ConflictError {
  return new ConflictError(`Report ${reportId} changed since you read it; reload and retry.`, 'stale_sequence');
}

export function downloadFilename(record: Pick<DownloadRecord, 'reportName' | 'version' | 'downloadId'>): string {
  const base =
    record.reportName
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .trim()
      .slice(0, 80) || 'report';
  return `${base} v${record.version} ${record.downloadId}.pdf`;
}
