import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { complianceInquiryArn } from '../access/resources.js';
import { parseInput } from '../input.js';
import type { InquiryDeps } from './inquiry-deps.js';
import { inquiryIdField } from './inquiry-inputs.js';
import type { Inquiry } from './inquiry-model.js';
import { readInquiry } from './inquiry-records.js';
import { tagsOfInquiry } from './inquiry-taggables.js';

export const inquiryInput = z.object({ inquiryId: inquiryIdField });
export type InquiryInput = z.input<typeof inquiryInput>;

/**
 * The inquiry an operation names, after `authorize(action)` on its ARN. The question is asked first
 * (the ARN needs no read), so a denied caller learns nothing; a missing inquiry, or another
 * organization's, is 404 alike.
 */
export async function authorizedInquiry(
  deps: InquiryDeps,
  caller: Caller,
  action: `portal:${string}`,
  inquiryId: string,
  consistent = false,
): Promise<Inquiry> {
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, action, complianceInquiryArn(orgId, inquiryId));
  return readInquiry(deps.store, orgId, inquiryId, consistent);
}

/** GetComplianceInquiryMetadata / GET /api/compliance-inquiries/{id}. */
export async function getInquiry(
  deps: InquiryDeps,
  caller: Caller,
  raw: InquiryInput,
): Promise<{ inquiry: Inquiry; tags: Record<string, string> }> {
  const input = parseInput(inquiryInput, raw);
  const inquiry = await authorizedInquiry(deps, caller, 'portal:GetComplianceInquiry', input.inquiryId);
  return { inquiry, tags: await tagsOfInquiry(deps.store, inquiry.orgId, inquiry.id) };
}
