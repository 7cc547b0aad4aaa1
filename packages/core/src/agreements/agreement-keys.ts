import type { ItemKey } from '../ports/store.js';

const orgTargetPrefix = 'TARGET#ORG#';
const accountTargetPrefix = 'TARGET#ACCOUNT#';

/**
 * Where agreements live in the single table.
 *
 * - The catalog is global (published by the operator): `AGREEMENT#<id>` holds the agreement item, whose
 *   `revisions` summary makes one read enough for coverage, and one item per revision with its text.
 * - Acceptances belong to the customer organization: `AGRORG#<orgId>` holds the immutable acceptance
 *   and termination records and one *target* item per (agreement, organization) and per (agreement,
 *   account). A target item carries the active acceptance (the conditional write that keeps one active
 *   acceptance per target) and the compact history of that target's acceptances, so coverage of one
 *   account reads two target items and the agreement item in ONE batch get.
 * - Membership history the agreements module keeps for point-in-time answers: `AGRMEMBERS#<orgId>`.
 */
export const agreementKeys = {
  catalogPartition: (agreementId: string) => `AGREEMENT#${agreementId}`,
  agreement: (agreementId: string): ItemKey => ({ pk: `AGREEMENT#${agreementId}`, sk: 'AGREEMENT' }),
  revision: (agreementId: string, revisionId: string): ItemKey => ({
    pk: `AGREEMENT#${agreementId}`,
    sk: `REVISION#${revisionId}`,
  }),
  /** gsi1 partition listing the catalog, sorted by name. */
  catalogIndex: 'AGREEMENTS',

  orgPartition: (orgId: string) => `AGRORG#${orgId}`,
  acceptance: (orgId: string, acceptanceId: string): ItemKey => ({
    pk: `AGRORG#${orgId}`,
    sk: `ACCEPTANCE#${acceptanceId}`,
  }),
  termination: (orgId: string, acceptanceId: string): ItemKey => ({
    pk: `AGRORG#${orgId}`,
    sk: `TERMINATION#${acceptanceId}`,
  }),
  orgTarget: (orgId: string, agreementId: string): ItemKey => ({
    pk: `AGRORG#${orgId}`,
    sk: `${orgTargetPrefix}${agreementId}`,
  }),
  accountTarget: (orgId: string, agreementId: string, accountId: string): ItemKey => ({
    pk: `AGRORG#${orgId}`,
    sk: `${accountTargetPrefix}${accountId}#${agreementId}`,
  }),
  orgTargetPrefix: () => orgTargetPrefix,
  accountTargetPrefix: (accountId?: string) =>
    accountId ? `${accountTargetPrefix}${accountId}#` : accountTargetPrefix,
  ndaAcceptance: (orgId: string, agreementId: string, userId: string): ItemKey => ({
    pk: `AGRORG#${orgId}`,
    sk: `NDA#${agreementId}#${userId}`,
  }),
  /** gsi1 partition: an organization's acceptance history of one agreement, by time. */
  historyIndex: (orgId: string, agreementId: string) => `AGRHISTORY#${orgId}#${agreementId}`,
  /** gsi2 partition: the organizations that accepted an agreement (target items), to tell them of a new revision. */
  acceptorsIndex: (agreementId: string) => `AGRACCEPTORS#${agreementId}`,

  membershipPartition: (orgId: string) => `AGRMEMBERS#${orgId}`,
  membership: (orgId: string, accountId: string): ItemKey => ({
    pk: `AGRMEMBERS#${orgId}`,
    sk: `ACCOUNT#${accountId}`,
  }),
};
