import type { Authorizer } from '@evidence-portal/core';

/** Least privilege until the access module supplies policies: every action is implicitly denied. */
export const denyAllAuthorizer: Authorizer = {
  async authorize() {
    return { decision: 'ImplicitDeny', reason: 'no policy allows this action', matchedStatements: [] };
  },
};
