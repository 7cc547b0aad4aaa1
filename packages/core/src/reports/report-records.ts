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

/**
 * Views of catalog reads, per report object and UTC day: freshness changes only at midnight (lapse
 * days are dates), and the catalog hands every request the same report objects until it changes.
 */
const views = new WeakMap<Report, { day: number; view: ReportView }>();

export function reportView(report: Report, now: Date): ReportView {
  const day = Math.floor(now.getTime() / 86_400_000);
  const known = views.get(report);
  if (known?.day === day) return known.view;
  let view: ReportView;
  if (!report.latest) view = { ...report, bridgeLetterDue: false, lapsingSoon: false };
  else {
    const fresh = freshness(report.latest.periodEnd, now);
    view = { ...report, bridgeLetterDue: fresh.lapsed, lapsesOn: fresh.lapsesOn, lapsingSoon: fresh.lapsingSoon };
  }
  views.set(report, { day, view });
  return view;
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
