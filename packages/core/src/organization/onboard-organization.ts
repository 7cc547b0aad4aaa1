import { z } from 'zod';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf } from '../access/caller.js';
import type { Authorizer } from '../access/principal.js';
import { requireAllowed } from '../access/require-allowed.js';
import { organizationArn } from '../access/resources.js';
import type { UserDirectory } from '../identity/user-directory.js';
import { parseInput } from '../input.js';
import { type BootstrapResult, createOrganizationWithAdmin } from './bootstrap.js';
import { type DirectoryDeps, systemActor } from './directory-deps.js';
import type { OrganizationService } from './organization-service.js';

export const onboardOrganizationInput = z
  .object({
    name: z.string().trim().min(1).max(128),
    adminEmail: z.string().trim().min(3).max(254),
    adminName: z.string().trim().min(1).max(128).optional(),
  })
  .strict();

export type OnboardOrganizationInput = z.infer<typeof onboardOrganizationInput>;

export interface OnboardDeps extends DirectoryDeps {
  organizations: OrganizationService;
  users: UserDirectory;
  authorizer: Authorizer;
  /** Refuses (403 `not_the_operator`) unless the organization holds the deployment's operator grant. */
  requireOperator(orgId: string): Promise<void>;
}

/**
 * The portal operator onboards another customer organization: a new organization, its management
 * account and an administrator with a one-time password (as bootstrap, without the deployment's
 * marker and without any publisher grant). Asked as `portal:CreateOrganization` on the operator's own
 * organization, and only the operator organization may (customer admins never can, whatever their
 * policies say). Trusted callers (the CLI with the deployment's credentials) are not asked.
 */
export async function onboardOrganization(
  deps: OnboardDeps,
  caller: Caller,
  raw: OnboardOrganizationInput,
): Promise<BootstrapResult> {
  const input = parseInput(onboardOrganizationInput, raw);
  const operatorOrg = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:CreateOrganization', organizationArn(operatorOrg));
  if (caller.kind === 'principal') await deps.requireOperator(operatorOrg);
  const actor = caller.kind === 'principal' ? actorOf(caller.principal) : systemActor(caller.name);
  const result = await createOrganizationWithAdmin(deps, {
    orgName: input.name,
    adminEmail: input.adminEmail,
    ...(input.adminName ? { adminName: input.adminName } : {}),
    actor,
    bootstrap: false,
  });
  if (caller.kind === 'principal') {
    await deps.ledger.append({
      orgId: operatorOrg,
      actor,
      action: 'org:OrganizationOnboarded',
      subject: organizationArn(result.organization.orgId),
      details: { name: result.organization.name, adminEmail: result.adminEmail },
    });
  }
  return result;
}
