import { randomBytes } from 'node:crypto';
import { userArn } from '../access/resources.js';
import { ConflictError } from '../errors.js';
import type { UserDirectory } from '../identity/user-directory.js';
import type { WriteOp } from '../ports/store.js';
import { publisherGrantItem } from '../reports/publisher-grants.js';
import { type Actor, type DirectoryDeps, newPrefixedId, systemActor } from './directory-deps.js';
import { directoryKeys } from './directory-keys.js';
import { newAccountId, type Organization } from './organization-records.js';
import type { OrganizationService } from './organization-service.js';

export interface BootstrapResult {
  organization: Organization;
  adminUserId: string;
  adminEmail: string;
  /** Shown once; the first sign-in must replace it and enrol MFA. */
  oneTimePassword: string;
}

/** Readable one-time password: 4 groups of 5 from an alphabet without look-alikes (~100 bits). */
function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return chars.match(/.{5}/g)?.join('-') ?? chars;
}

/**
 * The first organization, its management account and its administrator, in an empty deployment.
 * One transaction that also claims the deployment's bootstrap marker, so a second run fails whole.
 */
export async function bootstrapDeployment(
  deps: DirectoryDeps & { organizations: OrganizationService; users: UserDirectory },
  input: { orgName: string; adminEmail: string; adminName?: string },
): Promise<BootstrapResult> {
  if (await deps.store.get(directoryKeys.bootstrap(), { consistent: true })) {
    throw new ConflictError('This deployment is already bootstrapped.', 'already_bootstrapped');
  }
  return createOrganizationWithAdmin(deps, {
    ...input,
    actor: systemActor('bootstrap'),
    bootstrap: true,
    // The first organization of a deployment runs it: it is the catalog's operator publisher, and
    // the only one that can grant others (docs/deploy.md §6).
    extraOps: (orgId) => [{ kind: 'put', item: publisherGrantItem({ orgId, operator: true, companies: [] }) }],
    // Its admin publishes and grants publishers from the first sign-in (docs/deploy.md §6).
    alsoAttach: ['CatalogOperator'],
  });
}

/**
 * A new organization with its management account and an administrator (`OrganizationAdmin`) who
 * must replace the printed one-time password and enrol MFA at first sign-in: bootstrap's, and the
 * operator's onboarding of a customer organization (onboard-organization.ts).
 */
export async function createOrganizationWithAdmin(
  deps: DirectoryDeps & { organizations: OrganizationService; users: UserDirectory },
  input: {
    orgName: string;
    adminEmail: string;
    adminName?: string;
    actor: Actor;
    bootstrap: boolean;
    extraOps?: (orgId: string) => WriteOp[];
    /** Managed policies the admin holds beside OrganizationAdmin. */
    alsoAttach?: string[];
  },
): Promise<BootstrapResult> {
  const orgId = newPrefixedId(deps.ids, 'o');
  const password = oneTimePassword();
  const { organizations, users } = deps;
  const managementAccountId = newAccountId();
  const { user, ops } = await users.newUserOps(orgId, {
    email: input.adminEmail,
    displayName: input.adminName ?? 'Administrator',
    accountId: managementAccountId,
    password,
    mustChangePassword: true,
    mfaRequired: true,
  });
  const now = deps.clock.now().toISOString();
  const policies = ['OrganizationAdmin', ...(input.alsoAttach ?? [])];
  const organization = await organizations.createOrganization({
    orgId,
    name: input.orgName,
    managementAccountId,
    actor: input.actor,
    bootstrap: input.bootstrap,
    extraOps: [
      ...ops,
      ...policies.map((policyRef) => ({
        kind: 'put' as const,
        item: {
          ...directoryKeys.attachment(orgId, { type: 'user', id: user.userId }, policyRef),
          type: 'PolicyAttachment',
          targetType: 'user',
          targetId: user.userId,
          policyRef,
          attachedAt: now,
        },
      })),
      ...(input.extraOps?.(orgId) ?? []),
    ],
  });
  // The admin's items went in with org:OrganizationCreated (one append carries one entry): writing
  // them with this entry instead could leave a claimed marker and no administrator.
  await deps.ledger.append({
    orgId,
    actor: input.actor,
    action: 'identity:UserCreated',
    subject: userArn(orgId, user.userId),
    accountId: managementAccountId,
    details: { email: user.email, policies, oneTimePassword: true },
  });
  return { organization, adminUserId: user.userId, adminEmail: user.email, oneTimePassword: password };
}
