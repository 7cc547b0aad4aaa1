/** The report catalog's vocabulary (global catalog; acceptances and downloads belong to customer orgs). */
export type ReportState = 'PUBLISHED' | 'UNPUBLISHED';
export type UploadState = 'PROCESSING' | 'COMPLETE' | 'FAILED';
/** EXPLICIT: a click-through the user reads; PASSTHROUGH: recorded without a prompt, as in Artifact. */
export type AcceptanceType = 'EXPLICIT' | 'PASSTHROUGH';

/** What the catalog shows of the newest downloadable version. */
export interface VersionSummary {
  version: number;
  periodStart: string;
  periodEnd: string;
  effectiveDate: string;
  acceptanceType: AcceptanceType;
  termsRevisionId: string;
  pageCount: number;
  publishedAt: string;
}

/**
 * A report as the catalog lists it. The item is denormalized (newest complete version, every
 * complete version's period) so listing and detail need no per-version reads.
 */
export interface Report {
  id: string;
  name: string;
  description: string;
  category: string;
  series: string;
  company: string;
  thirdParty: boolean;
  state: ReportState;
  publisherOrgId: string;
  /** Optimistic-locking counter: every write must name the one it read. */
  sequence: number;
  versionCount: number;
  latest?: VersionSummary;
  /** [start, end] of each complete version, for the period-overlap filter. */
  periods: Array<[string, string]>;
  createdAt: string;
  updatedAt: string;
}

export interface ReportVersion {
  reportId: string;
  version: number;
  periodStart: string;
  periodEnd: string;
  /** When the report takes effect for customers (separate from the upload time). */
  effectiveDate: string;
  termsRevisionId: string;
  acceptanceType: AcceptanceType;
  uploadState: UploadState;
  statusMessage: string;
  /** Where the publisher's original lives in the reports bucket. */
  fileKey: string;
  sha256?: string;
  size?: number;
  pageCount?: number;
  createdAt: string;
  uploadedAt?: string;
  sequence: number;
}

/** One immutable revision of a report's terms (an NDA). */
export interface TermsRevision {
  revisionId: string;
  title: string;
  text: string;
  sha256: string;
  /** Acceptances older than this many days no longer stand (e.g. yearly re-acceptance). */
  reacceptAfterDays?: number;
  createdAt: string;
}

/** Never overwritten: a new revision or a lapsed acceptance adds another record. */
export interface TermsAcceptance {
  acceptanceId: string;
  orgId: string;
  userId: string;
  email: string;
  accountId: string;
  reportId: string;
  version: number;
  revisionId: string;
  termsSha256: string;
  acceptanceType: AcceptanceType;
  acceptedAt: string;
  ip?: string;
  userAgent?: string;
}

/** One delivered copy; the watermark's download id resolves to this (leak trace-back). */
export interface DownloadRecord {
  downloadId: string;
  orgId: string;
  userId: string;
  email: string;
  displayName: string;
  accountId: string;
  reportId: string;
  reportName: string;
  category: string;
  series: string;
  version: number;
  termsRevisionId: string;
  acceptanceId: string;
  downloadedAt: string;
  /** SHA-256 of the publisher's original and of the watermarked copy delivered. */
  sourceSha256: string;
  deliveredSha256: string;
}

/** A publisher grant: the operator publishes anything; a vendor only its own company's reports. */
export interface PublisherGrant {
  orgId: string;
  operator: boolean;
  companies: string[];
}

/** What customers see: a published report with a complete version. */
export function isPublishedToCustomers(report: Report): boolean {
  return report.state === 'PUBLISHED' && report.latest !== undefined;
}

/** The publisher sees its own reports in any state; every other organization only published ones. */
export function reportVisibleTo(report: Report, orgId: string): boolean {
  return report.publisherOrgId === orgId || isPublishedToCustomers(report);
}
