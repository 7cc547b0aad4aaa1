import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Logger, Portal, Store } from '@evidence-portal/core';
import { ConditionFailedError, ConflictError, systemActor } from '@evidence-portal/core';

/** Marks that the demo data is in place; its presence makes a second seed a no-op. */
const seedMarker = { pk: 'SEED', sk: 'demo' } as const;
const operatorSeedMarker = { pk: 'SEED', sk: 'demo-operator' } as const;

export interface DemoSeedResult {
  seeded: boolean;
  seededAt: string;
}

/** The composed use cases the seed calls (any runtime's `buildDeps` output is one), and the marker's store. */
export interface DemoSeedDeps extends OrganizationSeedDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

/** The use cases an administrator would call; composed, so joins reach the agreements module too. */
export type OrganizationSeedDeps = Pick<Portal, 'organizations' | 'users' | 'policies'>;

export interface SeedUser {
  userId: string;
  email: string;
  displayName: string;
  accountId: string;
  password: string;
  totpSecret?: string;
  policies?: string[];
  groups?: string[];
}

/** An organization described as data, so the demo and the tests' second tenant are seeded the same way. */
export interface OrganizationSeed {
  orgId: string;
  name: string;
  managementAccount: { accountId: string; name: string };
  units: Array<{ unitId: string; name: string; parent?: string }>;
  accounts: Array<{ accountId: string; name: string; unit?: string }>;
  policies: Array<{ policyId: string; name: string; description: string; document: unknown }>;
  groups: Array<{ groupId: string; name: string; policies: string[] }>;
  users: SeedUser[];
  roles: Array<{
    roleId: string;
    name: string;
    description: string;
    trustUsers: string[];
    trustGroups: string[];
    policies: string[];
  }>;
  /** Guardrails besides the default FullAccessGuardrail every node gets. */
  guardrails: Array<{ targetId: string; policy: string }>;
}

/** The fixed demo TOTP secret of admin@example.com (base32), also written in README. */
export const demoAdminTotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * Example Corp: OUs Production (with Healthcare beneath it) and Sandbox, four member accounts and
 * the management account; an admin (MFA), an auditor (reports, evidence for the Healthcare OU), an
 * engineer (reports only), a ComplianceOfficer role, and a guardrail on Sandbox that visibly denies
 * agreement changes and evidence export there even through the role.
 */
export const exampleCorpSeed: OrganizationSeed = {
  orgId: 'o-examplecorp',
  name: 'Example Corp',
  managementAccount: { accountId: '111111111111', name: 'Example Corp Management' },
  units: [
    { unitId: 'ou-production', name: 'Production' },
    { unitId: 'ou-healthcare', name: 'Healthcare', parent: 'ou-production' },
    { unitId: 'ou-sandbox', name: 'Sandbox' },
  ],
  accounts: [
    { accountId: '222222222222', name: 'Payments Production', unit: 'ou-production' },
    { accountId: '333333333333', name: 'Patient Records', unit: 'ou-healthcare' },
    { accountId: '444444444444', name: 'Claims Processing', unit: 'ou-healthcare' },
    { accountId: '555555555555', name: 'Developer Sandbox', unit: 'ou-sandbox' },
  ],
  policies: [
    {
      policyId: 'p-healthcareevidence',
      name: 'HealthcareEvidenceExport',
      description: 'Export evidence bundles for the Healthcare OU accounts only',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ExportHealthcareEvidence',
            Effect: 'Allow',
            Action: [
              'portal:ExportEvidence',
              'portal:GetEvidenceBundle',
              'portal:DownloadEvidenceBundle',
              'portal:ListEvidenceBundles',
            ],
            Resource: [
              'arn:portal:o-examplecorp:333333333333:evidence-bundle/*',
              'arn:portal:o-examplecorp:444444444444:evidence-bundle/*',
            ],
          },
        ],
      },
    },
    {
      policyId: 'p-sandboxguardrail',
      name: 'DenyAgreementChangesInSandbox',
      description: 'Guardrail: sandbox accounts never accept or terminate agreements, nor export evidence',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'NoAgreementsOrEvidenceInSandbox',
            Effect: 'Deny',
            Action: ['portal:AcceptAgreement', 'portal:TerminateAgreement', 'portal:ExportEvidence'],
            Resource: '*',
          },
        ],
      },
    },
  ],
  groups: [
    { groupId: 'g-administrators', name: 'Administrators', policies: ['OrganizationAdmin'] },
    {
      groupId: 'g-auditors',
      name: 'Auditors',
      policies: ['AuditorReadOnly', 'ReportsReadOnly', 'p-healthcareevidence'],
    },
    { groupId: 'g-engineers', name: 'Engineers', policies: ['ReportsReadOnly'] },
  ],
  users: [
    {
      userId: 'u-demoadmin',
      email: 'admin@example.com',
      displayName: 'Avery Admin',
      accountId: '111111111111',
      password: 'Orchid-Lantern-Harbor-42',
      totpSecret: demoAdminTotpSecret,
      groups: ['g-administrators'],
    },
    {
      userId: 'u-demoauditor',
      email: 'auditor@example.com',
      displayName: 'Aki Auditor',
      accountId: '333333333333',
      password: 'Granite-Meadow-Falcon-17',
      groups: ['g-auditors'],
    },
    {
      userId: 'u-demoengineer',
      email: 'engineer@example.com',
      displayName: 'Emeka Engineer',
      accountId: '555555555555',
      password: 'Copper-Willow-Summit-58',
      groups: ['g-engineers'],
    },
  ],
  roles: [
    {
      roleId: 'role-complianceofficer',
      name: 'ComplianceOfficer',
      description: 'Accept and terminate agreements (assumable by the auditor and the engineer)',
      trustUsers: ['u-demoauditor', 'u-demoengineer'],
      trustGroups: [],
      policies: ['AgreementsFullAccess', 'ReportsReadOnly'],
    },
  ],
  guardrails: [{ targetId: 'ou-sandbox', policy: 'p-sandboxguardrail' }],
};

/**
 * The portal operator (Example Cloud), which publishes the first-party catalog (`o-portal-operator` holds the
 * operator's publisher grant, seeded with the reports): one management account and a publisher user who may
 * publish reports, terms, agreements and revisions, manage publisher grants, and read the catalog.
 */
export const portalOperatorSeed: OrganizationSeed = {
  orgId: 'o-portal-operator',
  name: 'Example Cloud',
  managementAccount: { accountId: '999999999999', name: 'Example Cloud Publishing' },
  units: [],
  accounts: [],
  policies: [
    {
      policyId: 'p-catalogpublisher',
      name: 'CatalogPublisher',
      description:
        'Publish reports, report versions and terms, agreements and agreement revisions; manage who else may publish; answer compliance inquiries in human review',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublishCatalog',
            Effect: 'Allow',
            Action: [
              'portal:PublishReport',
              'portal:PublishAgreement',
              'portal:ManagePublishers',
              'portal:AnswerComplianceInquiry',
            ],
            Resource: '*',
          },
        ],
      },
    },
  ],
  groups: [
    {
      groupId: 'g-publishers',
      name: 'Publishers',
      policies: ['p-catalogpublisher', 'ReportsReadOnly', 'AgreementsReadOnly'],
    },
  ],
  users: [
    {
      userId: 'u-demopublisher',
      email: 'publisher@example.net',
      displayName: 'Pat Publisher',
      accountId: '999999999999',
      password: 'Juniper-Beacon-Quarry-64',
      groups: ['g-publishers'],
    },
  ],
  roles: [],
  guardrails: [],
};

/** Runs one seeding step; "already there" (a previous, possibly interrupted run) is success. */
async function once(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof ConflictError || error instanceof ConditionFailedError) return;
    throw error;
  }
}

/**
 * Seeds one organization through the same use cases an administrator would call (so its history is
 * in the ledger), with fixed ids so a rerun finds every step done.
 */
export async function seedOrganization(deps: OrganizationSeedDeps, seed: OrganizationSeed): Promise<void> {
  const actor = systemActor('demo-seed');
  const { organizations, users, policies } = deps;
  const rootId = `r-${seed.orgId.replace(/^o-/, '')}`;
  await once(() =>
    organizations.createOrganization({
      orgId: seed.orgId,
      name: seed.name,
      managementAccountId: seed.managementAccount.accountId,
      managementAccountName: seed.managementAccount.name,
      actor,
    }),
  );
  for (const unit of seed.units) {
    await once(() =>
      organizations.createUnit(
        seed.orgId,
        { unitId: unit.unitId, name: unit.name, parentId: unit.parent ?? rootId },
        actor,
      ),
    );
  }
  for (const account of seed.accounts) {
    await once(() =>
      organizations.addAccount(
        seed.orgId,
        { accountId: account.accountId, name: account.name, parentId: account.unit ?? rootId },
        actor,
      ),
    );
  }
  for (const policy of seed.policies) {
    await once(() => policies.createPolicy(seed.orgId, policy, actor));
  }
  for (const group of seed.groups) {
    await once(() => users.createGroup(seed.orgId, group.name, actor, group.groupId));
    for (const policy of group.policies) {
      await policies.attach(seed.orgId, { type: 'group', id: group.groupId }, policy, actor);
    }
  }
  for (const user of seed.users) {
    await once(() =>
      users.createUser(
        seed.orgId,
        {
          userId: user.userId,
          email: user.email,
          displayName: user.displayName,
          accountId: user.accountId,
          password: user.password,
        },
        actor,
      ),
    );
    const current = await users.get(seed.orgId, user.userId);
    if (user.totpSecret && !current.mfaEnabled) {
      await users.enableMfaWithSecret(seed.orgId, user.userId, user.totpSecret, actor);
    }
    for (const groupId of user.groups ?? []) await users.addMember(seed.orgId, groupId, user.userId, actor);
    for (const policy of user.policies ?? []) {
      await policies.attach(seed.orgId, { type: 'user', id: user.userId }, policy, actor);
    }
  }
  for (const role of seed.roles) {
    await once(() =>
      users.createRole(
        seed.orgId,
        {
          roleId: role.roleId,
          name: role.name,
          description: role.description,
          trust: { users: role.trustUsers, groups: role.trustGroups },
        },
        actor,
      ),
    );
    for (const policy of role.policies) {
      await policies.attach(seed.orgId, { type: 'role', id: role.roleId }, policy, actor);
    }
  }
  for (const guardrail of seed.guardrails) {
    await policies.attachGuardrail(seed.orgId, guardrail.targetId, guardrail.policy, actor);
  }
}

/** `.data/demo-credentials.json`: what scripts and browser tests sign in with. */
export function writeDemoCredentials(
  path: string,
  seeds: readonly OrganizationSeed[] = [exampleCorpSeed, portalOperatorSeed],
): void {
  mkdirSync(dirname(path), { recursive: true });
  const users = seeds.flatMap((seed) =>
    seed.users.map((user) => ({
      email: user.email,
      password: user.password,
      organization: seed.name,
      // Sign-in names the organization by its id (emails are unique per organization).
      organizationId: seed.orgId,
      ...(user.totpSecret ? { totpSecret: user.totpSecret } : {}),
    })),
  );
  writeFileSync(path, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Seeds the demo organization for `npm start` (never against AWS: only the local composition root
 * calls it). Idempotent: every step uses fixed ids and tolerates "already exists", and the marker
 * item is written last, so a crash half-way is completed next start. Later capabilities add their
 * demo data here.
 */
export async function seedDemoData(
  deps: DemoSeedDeps,
  options: { credentialsPath?: string } = {},
): Promise<DemoSeedResult> {
  const { store, clock, logger } = deps;
  if (options.credentialsPath) writeDemoCredentials(options.credentialsPath);
  // Added after the first release: its own marker, so an existing .data/ gets it too.
  if (!(await store.get(operatorSeedMarker, { consistent: true }))) {
    await seedOrganization(deps, portalOperatorSeed);
    try {
      await store.put({ ...operatorSeedMarker, seededAt: clock.now().toISOString() }, { kind: 'notExists' });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  const existing = await store.get(seedMarker, { consistent: true });
  if (existing) {
    const seededAt = String(existing.seededAt);
    logger.log('info', 'demo data already present', { seededAt });
    return { seeded: false, seededAt };
  }
  const seededAt = clock.now().toISOString();
  await seedOrganization(deps, exampleCorpSeed);
  try {
    await store.put({ ...seedMarker, seededAt }, { kind: 'notExists' });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  logger.log('info', 'demo data seeded', { seededAt, orgId: exampleCorpSeed.orgId });
  return { seeded: true, seededAt };
}
