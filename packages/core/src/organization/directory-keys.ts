import type { ItemKey } from '../ports/store.js';

/**
 * Where each organization, identity and access item lives in the single table. Everything an
 * organization owns sits in its own partition (`ORG#<orgId>`), so a lookup made with the caller's
 * orgId can never reach another tenant's item. Names (emails, account ids) are unique within their
 * organization only; the one deployment-wide item is the bootstrap marker.
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
  /**
   * One user per email WITHIN an organization. Never deployment-wide: a deployment-wide claim would
   * tell one tenant that another has the address (docs/access.md, "Tenant isolation of names").
   */
  email: (orgId: string, email: string): ItemKey => ({ pk: orgPartition(orgId), sk: `EMAIL#${email.toLowerCase()}` }),
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
