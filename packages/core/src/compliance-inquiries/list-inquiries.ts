import type { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { complianceInquiryArn } from '../access/resources.js';
import { pageInput, parseInput } from '../input.js';
import type { InquiryDeps } from './inquiry-deps.js';
import { inquiryKeys } from './inquiry-keys.js';
import type { Inquiry } from './inquiry-model.js';
import { parseInquiry } from './inquiry-records.js';

export const listInquiriesInput = pageInput;
export type ListInquiriesInput = z.input<typeof listInquiriesInput>;

/** The organization's inquiries, newest first, in pages (`portal:ListComplianceInquiries` on `compliance-inquiry/*`). */
export async function listInquiries(
  deps: InquiryDeps,
  caller: Caller,
  raw: ListInquiriesInput,
): Promise<{ items: Inquiry[]; nextCursor?: string }> {
  const input = parseInput(listInquiriesInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:ListComplianceInquiries', complianceInquiryArn(orgId, '*'));
  const page = await deps.store.query(inquiryKeys.listIndex(orgId), {
    index: 'gsi1',
    descending: true,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  const items = page.items.flatMap((item) => {
    const inquiry = parseInquiry(item);
    return inquiry && inquiry.orgId === orgId ? [inquiry] : [];
  });
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
