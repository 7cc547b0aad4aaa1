import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { pageInput, parseInput } from '../input.js';
import type { InquiryDeps } from './inquiry-deps.js';
import { inquiryErrors } from './inquiry-errors.js';
import { inquiryIdField } from './inquiry-inputs.js';
import { inquiryKeys } from './inquiry-keys.js';
import type { Inquiry, InquiryQuery } from './inquiry-model.js';
import { parseInquiry, readInquiry, readQueries } from './inquiry-records.js';
import { requireOperatorReview } from './operator-review.js';

export const reviewQueueInput = pageInput;
export type ReviewQueueInput = z.input<typeof reviewQueueInput>;

/** The operator's queue: every organization's inquiries in human review, oldest first. */
export async function reviewQueue(
  deps: InquiryDeps,
  caller: Caller,
  raw: ReviewQueueInput,
): Promise<{ items: Inquiry[]; nextCursor?: string }> {
  const input = parseInput(reviewQueueInput, raw);
  await requireOperatorReview(deps, caller, '*', '*');
  const page = await deps.store.query(inquiryKeys.reviewIndex, {
    index: 'gsi2',
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  const items = page.items.flatMap((item) => {
    const inquiry = parseInquiry(item);
    return inquiry && inquiry.status === 'HUMAN_REVIEW' ? [inquiry] : [];
  });
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export const reviewInquiryInput = z.object({
  orgId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)
    .describe('The organization that asked'),
  inquiryId: inquiryIdField,
});
export type ReviewInquiryInput = z.input<typeof reviewInquiryInput>;

/** One inquiry of the queue with all its queries, for the operator to answer. */
export async function reviewInquiry(
  deps: InquiryDeps,
  caller: Caller,
  raw: ReviewInquiryInput,
): Promise<{ inquiry: Inquiry; queries: InquiryQuery[] }> {
  const input = parseInput(reviewInquiryInput, raw);
  await requireOperatorReview(deps, caller, input.orgId, input.inquiryId);
  const inquiry = await readInquiry(deps.store, input.orgId, input.inquiryId);
  if (inquiry.supportMode !== 'FULL_SUPPORT') {
    // Only inquiries that asked for human support are the operator's to read.
    throw inquiryErrors.error('not_in_human_review', `Compliance inquiry ${inquiry.id} did not ask for human review.`);
  }
  return { inquiry, queries: await readQueries(deps.store, inquiry) };
}
