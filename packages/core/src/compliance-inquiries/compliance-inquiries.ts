import type { Caller } from '../access/caller.js';
import type { InquiryExport } from './export-inquiry.js';
import type { InquiryDeps } from './inquiry-deps.js';
import type { Inquiry, InquiryQuery } from './inquiry-model.js';
import type { AnswerQueryInput, CreateInquiryInput, ExportInquiryInput, PutFeedbackInput } from './inquiry-schemas.js';
import { type ListInquiriesInput, listInquiries } from './list-inquiries.js';
import { type ListQueriesInput, listQueries, type QueriesPage } from './list-queries.js';
import { getInquiry, type InquiryInput } from './read-inquiry.js';
import { type ReviewInquiryInput, type ReviewQueueInput, reviewInquiry, reviewQueue } from './review-queue.js';

/**
 * Compliance inquiries: one use case per file, each `(caller, input)` asking `authorize` for the
 * inquiry it touches; this facade binds them to their dependencies (composition builds it once).
 */
export interface ComplianceInquiries {
  create(caller: Caller, input: CreateInquiryInput): Promise<{ inquiry: Inquiry; tags: Record<string, string> }>;
  get(caller: Caller, input: InquiryInput): Promise<{ inquiry: Inquiry; tags: Record<string, string> }>;
  list(caller: Caller, input: ListInquiriesInput): Promise<{ items: Inquiry[]; nextCursor?: string }>;
  queries(caller: Caller, input: ListQueriesInput): Promise<QueriesPage>;
  feedback(caller: Caller, input: PutFeedbackInput): Promise<{ submittedAt: string; feedbackId: string }>;
  /** `linkOf` names where a cited report is found for this caller (console link, or the Artifact ARN). */
  export(caller: Caller, input: ExportInquiryInput, linkOf: (reportId: string) => string): Promise<InquiryExport>;
  reviewQueue(caller: Caller, input: ReviewQueueInput): Promise<{ items: Inquiry[]; nextCursor?: string }>;
  review(caller: Caller, input: ReviewInquiryInput): Promise<{ inquiry: Inquiry; queries: InquiryQuery[] }>;
  answer(caller: Caller, input: AnswerQueryInput): Promise<{ inquiry: Inquiry; query: InquiryQuery }>;
}

export function createComplianceInquiries(deps: InquiryDeps): ComplianceInquiries {
  return {
    // The writing use cases (retrieval, questionnaire parsing, the PDF) load on first use: not at cold start.
    create: async (caller, input) => (await import('./create-inquiry.js')).createInquiry(deps, caller, input),
    get: (caller, input) => getInquiry(deps, caller, input),
    list: (caller, input) => listInquiries(deps, caller, input),
    queries: (caller, input) => listQueries(deps, caller, input),
    feedback: async (caller, input) => (await import('./put-feedback.js')).putFeedback(deps, caller, input),
    export: async (caller, input, linkOf) =>
      (await import('./export-inquiry.js')).exportInquiry(deps, caller, input, linkOf),
    reviewQueue: (caller, input) => reviewQueue(deps, caller, input),
    review: (caller, input) => reviewInquiry(deps, caller, input),
    answer: async (caller, input) => (await import('./answer-query.js')).answerQuery(deps, caller, input),
  };
}
