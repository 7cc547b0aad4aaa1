import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { ValidationError } from '../errors.js';
import { defaultPageLimit, parseInput } from '../input.js';
import type { InquiryDeps } from './inquiry-deps.js';
import { inquiryIdField } from './inquiry-inputs.js';
import { inquiryKeys } from './inquiry-keys.js';
import type { FeedbackRating, Inquiry, InquiryFeedback, InquiryQuery } from './inquiry-model.js';
import { readQueries } from './inquiry-records.js';
import { authorizedInquiry } from './read-inquiry.js';

export const listQueriesInput = z.object({
  inquiryId: inquiryIdField,
  cursor: z.string().max(64).optional().describe('The `nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(300).default(defaultPageLimit).describe('Page size (at most 300)'),
});
export type ListQueriesInput = z.input<typeof listQueriesInput>;

export interface QueriesPage {
  inquiry: Inquiry;
  items: InquiryQuery[];
  nextCursor?: string;
  /** The caller's latest rating of each query on the page (by query identifier), and of the inquiry (0). */
  myRatings: Record<number, FeedbackRating>;
}

const cursorOf = (offset: number) => `q${offset}`;
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^q(\d{1,4})$/.exec(cursor);
  if (!match)
    throw new ValidationError('Invalid cursor.', [{ path: 'cursor', message: 'not a cursor of this listing' }]);
  return Number(match[1]);
}

/** ListComplianceInquiryQueries: the queries in order, with answers and citations (`portal:GetComplianceInquiry`). */
export async function listQueries(deps: InquiryDeps, caller: Caller, raw: ListQueriesInput): Promise<QueriesPage> {
  const input = parseInput(listQueriesInput, raw);
  const offset = offsetOf(input.cursor);
  const inquiry = await authorizedInquiry(deps, caller, 'portal:GetComplianceInquiry', input.inquiryId);
  const [queries, feedback] = await Promise.all([
    readQueries(deps.store, inquiry),
    caller.kind === 'principal'
      ? deps.store.query(inquiryKeys.partition(inquiry.orgId, inquiry.id), {
          skPrefix: inquiryKeys.feedbackPrefix,
          limit: 1000,
        })
      : Promise.resolve({ items: [] }),
  ]);
  const myRatings: Record<number, FeedbackRating> = {};
  for (const item of feedback.items) {
    const record = JSON.parse(String(item.data)) as InquiryFeedback;
    if (caller.kind === 'principal' && record.submittedBy.userId === caller.principal.userId) {
      myRatings[record.queryIdentifier ?? 0] = record.rating;
    }
  }
  const items = queries.slice(offset, offset + input.limit);
  return {
    inquiry,
    items,
    ...(offset + input.limit < queries.length ? { nextCursor: cursorOf(offset + input.limit) } : {}),
    myRatings,
  };
}
