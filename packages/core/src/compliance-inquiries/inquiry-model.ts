/**
 * Compliance inquiries: an organization's questions (one, or a questionnaire file), each answered by
 * retrieval over the report catalog the asker may read, with citations. The vocabulary (statuses and
 * their exact messages) is AWS Artifact's (botocore artifact/2018-05-10), so the Artifact API serves
 * these records as they are.
 */
export type InquiryStatus = 'PROCESSING' | 'HUMAN_REVIEW' | 'COMPLETED' | 'FAILED';
export type QueryStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED';
export type InputSource = 'TEXT' | 'FILE';
export type SupportMode = 'AI_ONLY' | 'FULL_SUPPORT';
export type FeedbackRating = 'THUMBS_UP' | 'THUMBS_DOWN';
export const feedbackReasonCodes = ['OTHER', 'PARTIAL_RESPONSE', 'IRRELEVANT_RESPONSE'] as const;
export type FeedbackReasonCode = (typeof feedbackReasonCodes)[number];

/** The model's exact status messages. */
export const inquiryStatusMessages = {
  complete: 'Compliance inquiry processing is complete.',
  completeWithErrors:
    'Compliance inquiry processing is complete. One or more queries encountered errors during processing.',
  humanReview: 'Human review is in progress.',
} as const;

export const queryStatusMessages = {
  complete: 'Query processing is complete.',
  pendingReview: 'Query is pending human review.',
  restricted: 'Query contains restricted or unsupported content.',
} as const;

/** One report that supports an answer: the report, its version, and the excerpt that matched. */
export interface InquiryCitation {
  reportId: string;
  version?: number;
  /** "<report name> version <n>", within the model's ShortStringAttribute pattern. */
  sourceLabel: string;
  /** The matching excerpt of the report's catalog entry. */
  sourceContent: string;
}

export interface ResponseVersion {
  responseText: string;
  timestamp: string;
  /** Who answered (an operator user of the portal), for the ledger and the console. */
  answeredBy?: string;
}

export interface InquiryQuery {
  /** 1-based, in questionnaire order. */
  queryIdentifier: number;
  query: string;
  /** The questionnaire section (CSV column or text heading) it came from. */
  section?: string;
  response?: string;
  /** HUMAN once an operator answered; never AI: automatic answers are retrieval, not a model. */
  reviewType?: 'HUMAN';
  citations: InquiryCitation[];
  status: QueryStatus;
  statusMessage: string;
  createdAt: string;
  /** Each operator answer, oldest first; the response revision is its length (0: the automatic answer). */
  updatedResponseVersions: ResponseVersion[];
}

export interface Inquiry {
  id: string;
  orgId: string;
  name: string;
  status: InquiryStatus;
  statusMessage: string;
  inputSource: InputSource;
  supportMode: SupportMode;
  createdAt: string;
  updatedAt: string;
  createdBy: { userId: string; email?: string };
  queryCount: number;
  /** How many query chunks hold the queries (10 queries each). */
  chunks: number;
  /** Optimistic-locking counter of the inquiry item. */
  version: number;
}

export interface InquiryFeedback {
  feedbackId: string;
  inquiryId: string;
  queryIdentifier?: number;
  rating: FeedbackRating;
  responseRevisionId?: number;
  reasonCodes: FeedbackReasonCode[];
  comment?: string;
  submittedAt: string;
  submittedBy: { userId: string; email?: string };
}

/** The response revision of a query: how many operator answers it has had. */
export const responseRevisionOf = (query: Pick<InquiryQuery, 'updatedResponseVersions'>) =>
  query.updatedResponseVersions.length;

export const queriesPerChunk = 10;
export const maxQueriesPerInquiry = 200;
/** Operator answers kept per query (each one is a version in `updatedResponseVersions`). */
export const maxResponseVersions = 10;
