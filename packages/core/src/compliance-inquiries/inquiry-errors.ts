import { errorCatalog } from '../error-codes.js';

/** Refusals of the compliance-inquiries module. */
export const inquiryErrors = errorCatalog('compliance-inquiries', {
  client_token_reused: {
    kind: 'conflict',
    description: 'This clientToken was already used with a different input; use a new token for a new request.',
  },
  stale_response: {
    kind: 'conflict',
    description:
      'The answer changed since the responseRevisionId given: read the query again and rate its current answer.',
  },
  no_response_yet: { kind: 'conflict', description: 'The query has no answer yet (it is pending human review).' },
  not_in_human_review: {
    kind: 'conflict',
    description: 'Only queries of FULL_SUPPORT inquiries are answered by the portal operator.',
  },
  too_many_versions: { kind: 'conflict', description: 'This query has reached its limit of answer versions.' },
  operator_review_only: {
    kind: 'forbidden',
    description: 'Only the portal operator organization answers inquiries in human review.',
  },
});

export type InquiryErrorCode = (typeof inquiryErrors.list)[number];
