import { ConflictError } from '../errors.js';
import type { Item } from '../ports/store.js';
import { freshness } from './report-freshness.js';
import { reportKeys } from './report-keys.js';
import type { AcceptanceType, DownloadRecord, Report, ReportState, ReportVersion } from './report-model.js';

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

/** A stored JSON body (`data`) of a report, version, terms, acceptance or download item. */
export function parseRecord<T>(item: Item | undefined): T | undefined {
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

export function reportView(report: Report, now: Date): ReportView {
  if (!report.latest) return { ...report, bridgeLetterDue: false, lapsingSoon: false };
  const fresh = freshness(report.latest.periodEnd, now);
  return { ...report, bridgeLetterDue: fresh.lapsed, lapsesOn: fresh.lapsesOn, lapsingSoon: fresh.lapsingSoon };
}

export function versionView(version: ReportVersion, now: Date): ReportVersionView {
  const fresh = freshness(version.periodEnd, now);
  return { ...version, lapsesOn: fresh.lapsesOn, lapsingSoon: fresh.lapsingSoon, lapsed: fresh.lapsed };
}

export function staleReport(reportId: string): ConflictError {
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
