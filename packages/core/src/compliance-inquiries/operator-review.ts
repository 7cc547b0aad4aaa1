import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { complianceInquiryArn } from '../access/resources.js';
import type { InquiryDeps } from './inquiry-deps.js';
import { inquiryErrors } from './inquiry-errors.js';

/**
 * Human review belongs to the portal operator: an organization holding the operator's publisher
 * grant (the one that publishes the catalog), whose principal is allowed
 * `portal:AnswerComplianceInquiry` on the inquiry (the customer organization's ARN). Customers'
 * policies cannot reach it: the grant is checked first.
 */
export async function requireOperatorReview(
  deps: InquiryDeps,
  caller: Caller,
  inquiryOrgId: string,
  inquiryId: string,
) {
  if (!(await deps.isOperator(orgOf(caller)))) {
    throw inquiryErrors.error(
      'operator_review_only',
      'Only the portal operator organization answers inquiries in human review.',
    );
  }
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:AnswerComplianceInquiry',
    complianceInquiryArn(inquiryOrgId, inquiryId),
  );
}
