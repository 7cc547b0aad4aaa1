import type { OrganizationSeed } from '../../packages/cli/src/demo-seed.js';

/** A second tenant, seeded like the demo one, whose objects Example Corp must never see. */
export const otherCoSeed: OrganizationSeed = {
  orgId: 'o-otherco',
  name: 'Other Co',
  managementAccount: { accountId: '900000000001', name: 'Other Co Management' },
  units: [{ unitId: 'ou-otherunit', name: 'Other Unit' }],
  accounts: [{ accountId: '900000000002', name: 'Other Workload', unit: 'ou-otherunit' }],
  policies: [
    {
      policyId: 'p-otherpolicy',
      name: 'OtherPolicy',
      description: 'belongs to Other Co',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'portal:ReadLedger', Resource: '*' }],
      },
    },
  ],
  groups: [{ groupId: 'g-othergroup', name: 'Other Group', policies: ['p-otherpolicy'] }],
  users: [
    {
      userId: 'u-otheradmin',
      email: 'admin@other.example',
      displayName: 'Other Admin',
      accountId: '900000000001',
      password: 'Saffron-Glacier-Beacon-31',
      policies: ['OrganizationAdmin'],
      groups: ['g-othergroup'],
    },
  ],
  roles: [
    {
      roleId: 'role-otherrole',
      name: 'OtherRole',
      description: 'belongs to Other Co',
      trustUsers: ['u-otheradmin'],
      trustGroups: [],
      policies: ['ReportsReadOnly'],
    },
  ],
  guardrails: [],
};
