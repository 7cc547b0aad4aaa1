import { errorCatalog } from '../error-codes.js';

/** Refusals of the access module: authorization decisions and policy administration. */
export const accessErrors = errorCatalog('access', {
  explicit_deny: {
    kind: 'forbidden',
    description: 'A policy or guardrail explicitly denies this action on this resource (the detail names it).',
  },
  implicit_deny: {
    kind: 'forbidden',
    description: 'No policy allows this action on this resource (default deny); ask for a grant.',
  },
  exceeds_caller_permissions: {
    kind: 'forbidden',
    description:
      'The policy (or role) handed out allows something the caller is not allowed itself; a principal delegates only what it holds.',
  },
  policy_name_taken: { kind: 'conflict', description: 'Another policy of the organization has this name.' },
});

export type AccessErrorCode = (typeof accessErrors.list)[number];
