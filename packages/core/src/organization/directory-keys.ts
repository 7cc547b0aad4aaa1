import type { ItemKey } from '../ports/store.js';

/**
 * Where each organization, identity and access item lives in the single table. Everything an
 * organization owns sits in its own partition (`ORG#<orgId>`), so a lookup made with the caller's
 * orgId can never reach another tenant's item. A few deployment-wide uniqueness items (email,
 * account id, bootstrap) live in partitions of their own.
 */
export const orgPartition = (orgId: string) => `ORG#${orgId}`;

export const directoryKeys = {
  org: (orgId: string): ItemKey => ({ pk: orgPartition(orgId), sk: 'ORG' }),
  unit: (orgId: string, unitId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `OU#${unitId}` }),
  account: (orgId: string, accountId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `ACCOUNT#${accountId}` }),
  user: (orgId: string, userId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `USER#${userId}` }),
  group: (orgId: string, groupId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `GROUP#${groupId}` }),
  membership: (orgId: string, userId: string, groupId: string): ItemKey => ({
    pk: orgPartition(orgId),
    sk: `MEMBERSHIP#${userId}#${groupId}`,
  }),
  role: (orgId: string, roleId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `ROLE#${roleId}` }),
  policy: (orgId: string, policyId: string): ItemKey => ({ pk: orgPartition(orgId), sk: `POLICY#${policyId}` }),
  policyName: (orgId: string, name: string): ItemKey => ({
    pk: orgPartition(orgId),
    sk: `POLICYNAME#${name.toLowerCase()}`,
  }),
  attachment: (orgId: string, target: PrincipalTarget, policyRef: string): ItemKey => ({
    pk: orgPartition(orgId),
    sk: `ATTACH#${target.type}#${target.id}#${policyRef}`,
  }),
  guardrail: (orgId: string, targetId: string, policyRef: string): ItemKey => ({
    pk: orgPartition(orgId),
    sk: `GUARDRAIL#${targetId}#${policyRef}`,
  }),
  roleGrant: (orgId: string, userId: string, roleId: string): ItemKey => ({
    pk: orgPartition(orgId),
    sk: `ROLEGRANT#${userId}#${roleId}`,
  }),
  /** Deployment-wide: one email, one user. */
  email: (email: string): ItemKey => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' }),
  /** Deployment-wide: one 12-digit account id, one organization. */
  accountId: (accountId: string): ItemKey => ({ pk: `ACCOUNTID#${accountId}`, sk: 'ACCOUNTID' }),
  /** Deployment-wide: present once the first organization exists. */
  bootstrap: (): ItemKey => ({ pk: 'DEPLOYMENT', sk: 'BOOTSTRAP' }),
};

/** A principal policies attach to. */
export interface PrincipalTarget {
  type: 'user' | 'group' | 'role';
  id: string;
}

export const skPrefixes = {
  unit: 'OU#',
  account: 'ACCOUNT#',
  user: 'USER#',
  group: 'GROUP#',
  role: 'ROLE#',
  policy: 'POLICY#',
  membershipOf: (userId: string) => `MEMBERSHIP#${userId}#`,
  membership: 'MEMBERSHIP#',
  attachmentsOf: (target: PrincipalTarget) => `ATTACH#${target.type}#${target.id}#`,
  attachment: 'ATTACH#',
  guardrail: 'GUARDRAIL#',
  roleGrant: 'ROLEGRANT#',
} as const;
