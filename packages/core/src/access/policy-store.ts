import type { Actor, DirectoryDeps } from '../organization/directory-deps.js';
import type { PrincipalTarget } from '../organization/directory-keys.js';
import { createPolicy, getPolicy, listPolicies, resolvePolicies } from './customer-policies.js';
import { attachGuardrail, detachGuardrail, listGuardrails } from './guardrails.js';
import type { NamedPolicy } from './policy/policy-document.js';
import { attachmentsOf, attachPolicy, detachPolicy, listAttachments } from './policy-attachments.js';
import type { CustomerPolicy, GuardrailAttachment, PolicyAttachment, RoleGrant } from './policy-records.js';
import { grantRole, roleGrantsOf } from './role-grants.js';

export type { CustomerPolicy, GuardrailAttachment, PolicyAttachment, RoleGrant } from './policy-records.js';

/**
 * Customer-managed policies (validated on save), their attachments to users, groups and roles,
 * guardrails on the root, OUs and accounts, and time-boxed grants. Every change is a ledger entry.
 * One use case per file (customer-policies, policy-attachments, guardrails, role-grants); this
 * facade binds them to their dependencies.
 */
export class PolicyStore {
  constructor(private readonly deps: DirectoryDeps) {}

  createPolicy(
    orgId: string,
    input: { name: string; description?: string; document: unknown; policyId?: string },
    actor: Actor,
  ): Promise<CustomerPolicy> {
    return createPolicy(this.deps, orgId, input, actor);
  }
  listPolicies(orgId: string): Promise<CustomerPolicy[]> {
    return listPolicies(this.deps, orgId);
  }
  getPolicy(orgId: string, policyId: string): Promise<CustomerPolicy> {
    return getPolicy(this.deps, orgId, policyId);
  }
  /** Managed names resolve to the built-in documents; customer ids to this organization's policies. */
  resolve(orgId: string, refs: readonly string[]): Promise<Map<string, NamedPolicy>> {
    return resolvePolicies(this.deps, orgId, refs);
  }
  /** Attaches a policy; with `expiresAt` it is a time-boxed grant that ends by itself. */
  attach(
    orgId: string,
    target: PrincipalTarget,
    policyRef: string,
    actor: Actor,
    options: { expiresAt?: string } = {},
  ): Promise<PolicyAttachment> {
    return attachPolicy(this.deps, orgId, target, policyRef, actor, options);
  }
  detach(orgId: string, target: PrincipalTarget, policyRef: string, actor: Actor): Promise<void> {
    return detachPolicy(this.deps, orgId, target, policyRef, actor);
  }
  listAttachments(orgId: string): Promise<PolicyAttachment[]> {
    return listAttachments(this.deps, orgId);
  }
  /** Attachments in force now; grants past their end are left out and their expiry recorded once. */
  attachmentsOf(orgId: string, target: PrincipalTarget): Promise<PolicyAttachment[]> {
    return attachmentsOf(this.deps, orgId, target);
  }
  attachGuardrail(orgId: string, targetId: string, policyRef: string, actor: Actor): Promise<GuardrailAttachment> {
    return attachGuardrail(this.deps, orgId, targetId, policyRef, actor);
  }
  detachGuardrail(orgId: string, targetId: string, policyRef: string, actor: Actor): Promise<void> {
    return detachGuardrail(this.deps, orgId, targetId, policyRef, actor);
  }
  listGuardrails(orgId: string): Promise<GuardrailAttachment[]> {
    return listGuardrails(this.deps, orgId);
  }
  /** A time-boxed right to assume a role, beside the role's trust policy. */
  grantRole(orgId: string, userId: string, roleId: string, expiresAt: string, actor: Actor): Promise<RoleGrant> {
    return grantRole(this.deps, orgId, userId, roleId, expiresAt, actor);
  }
  /** Live role grants of a user; ended ones are left out and their expiry recorded once. */
  roleGrantsOf(orgId: string, userId: string, roleId = ''): Promise<RoleGrant[]> {
    return roleGrantsOf(this.deps, orgId, userId, roleId);
  }
}
