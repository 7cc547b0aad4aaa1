import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, newPrefixedId, optionalStr, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, type PrincipalTarget, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import type { Item, ItemValue } from '../ports/store.js';
import { managedPolicyDocument, managedPolicyNames } from './managed-policy-catalog.js';
import { validatePolicyDocument } from './policy/index.js';
import type { NamedPolicy, PolicyDocument } from './policy/policy-document.js';
import { policyArn, roleArn } from './resources.js';

export interface CustomerPolicy {
  policyId: string;
  name: string;
  description: string;
  document: PolicyDocument;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyAttachment {
  target: PrincipalTarget;
  /** A managed policy name (`ReportsReadOnly`) or a customer policy id (`p-…`). */
  policyRef: string;
  attachedAt: string;
  /** Time-boxed grants end here, without anyone acting. */
  expiresAt?: string;
}

export interface GuardrailAttachment {
  targetId: string;
  policyRef: string;
  attachedAt: string;
}

export interface RoleGrant {
  userId: string;
  roleId: string;
  grantedAt: string;
  expiresAt: string;
}

/** Expired grants stay readable this long so the expiry is recorded in the ledger before TTL removes them. */
const expiredGrantRetentionSeconds = 30 * 24 * 3600;

function toPolicy(item: Item): CustomerPolicy {
  return {
    policyId: str(item, 'policyId'),
    name: str(item, 'name'),
    description: str(item, 'description'),
    document: item.document as unknown as PolicyDocument,
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}

function toAttachment(item: Item): PolicyAttachment {
  const expiresAt = optionalStr(item, 'expiresAt');
  return {
    target: { type: str(item, 'targetType') as PrincipalTarget['type'], id: str(item, 'targetId') },
    policyRef: str(item, 'policyRef'),
    attachedAt: str(item, 'attachedAt'),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

function toGuardrail(item: Item): GuardrailAttachment {
  return { targetId: str(item, 'targetId'), policyRef: str(item, 'policyRef'), attachedAt: str(item, 'attachedAt') };
}

function toRoleGrant(item: Item): RoleGrant {
  return {
    userId: str(item, 'userId'),
    roleId: str(item, 'roleId'),
    grantedAt: str(item, 'grantedAt'),
    expiresAt: str(item, 'expiresAt'),
  };
}

/**
 * Customer-managed policies (validated on save), their attachments to users, groups and roles,
 * guardrails on the root, OUs and accounts, and time-boxed grants. Every change is a ledger entry.
 */
export class PolicyStore {
  constructor(private readonly deps: DirectoryDeps) {}

  async createPolicy(
    orgId: string,
    input: { name: string; description?: string; document: unknown; policyId?: string },
    actor: Actor,
  ): Promise<CustomerPolicy> {
    const errors = [];
    const name = input.name.trim();
    if (!/^[A-Za-z0-9+=,.@_-]{1,128}$/.test(name)) {
      errors.push({ path: 'name', message: 'must be 1 to 128 letters, digits or +=,.@_-' });
    } else if (managedPolicyNames().some((managed) => managed.toLowerCase() === name.toLowerCase())) {
      errors.push({ path: 'name', message: `${name} is the name of a managed policy` });
    }
    const validated = validatePolicyDocument(input.document);
    if (!validated.ok)
      errors.push(
        ...validated.errors.map((e) => ({ path: `document${e.path ? `.${e.path}` : ''}`, message: e.message })),
      );
    if (errors.length > 0 || !validated.ok) throw new ValidationError('The policy is invalid.', errors);
    const now = this.deps.clock.now().toISOString();
    const policy: CustomerPolicy = {
      policyId: input.policyId ?? newPrefixedId(this.deps.ids, 'p'),
      name,
      description: input.description ?? '',
      document: validated.document,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.ledger.append({
        orgId,
        actor,
        action: 'access:PolicyCreated',
        subject: policyArn(orgId, policy.policyId),
        details: { name, document: policy.document as unknown as ItemValue },
        alsoWrite: [
          {
            kind: 'put',
            item: {
              ...directoryKeys.policy(orgId, policy.policyId),
              type: 'Policy',
              ...policy,
              document: policy.document as unknown as ItemValue,
            },
            condition: { kind: 'notExists' },
          },
          {
            kind: 'put',
            item: { ...directoryKeys.policyName(orgId, name), policyId: policy.policyId },
            condition: { kind: 'notExists' },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        throw new ConflictError('A policy with this name already exists.', 'policy_name_taken', { cause: error });
      }
      throw error;
    }
    return policy;
  }

  async listPolicies(orgId: string): Promise<CustomerPolicy[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.policy });
    return items.map(toPolicy);
  }

  async getPolicy(orgId: string, policyId: string): Promise<CustomerPolicy> {
    if (!/^p-[a-z0-9]+$/.test(policyId)) throw new NotFoundError('No such policy.');
    const item = await this.deps.store.get(directoryKeys.policy(orgId, policyId));
    if (!item) throw new NotFoundError('No such policy.');
    return toPolicy(item);
  }

  /** Managed names resolve to the built-in documents; customer ids to this organization's policies. */
  async resolve(orgId: string, refs: readonly string[]): Promise<Map<string, NamedPolicy>> {
    const resolved = new Map<string, NamedPolicy>();
    const customer: string[] = [];
    for (const ref of new Set(refs)) {
      const managed = managedPolicyDocument(ref);
      if (managed) resolved.set(ref, { name: ref, document: managed });
      else customer.push(ref);
    }
    for (let i = 0; i < customer.length; i += 100) {
      const items = await this.deps.store.batchGet(
        customer.slice(i, i + 100).map((id) => directoryKeys.policy(orgId, id)),
      );
      for (const item of items) {
        const policy = toPolicy(item);
        resolved.set(policy.policyId, { name: policy.name, document: policy.document });
      }
    }
    return resolved;
  }

  private async ensurePolicyExists(orgId: string, policyRef: string): Promise<void> {
    if (managedPolicyDocument(policyRef)) return;
    await this.getPolicy(orgId, policyRef);
  }

  private async ensureTargetExists(orgId: string, target: PrincipalTarget): Promise<void> {
    const pattern = { user: /^u-[a-z0-9]+$/, group: /^g-[a-z0-9]+$/, role: /^role-[a-z0-9]+$/ }[target.type];
    const key =
      target.type === 'user'
        ? directoryKeys.user(orgId, target.id)
        : target.type === 'group'
          ? directoryKeys.group(orgId, target.id)
          : directoryKeys.role(orgId, target.id);
    if (!pattern.test(target.id) || !(await this.deps.store.get(key)))
      throw new NotFoundError(`No such ${target.type}.`);
  }

  /** Attaches a policy; with `expiresAt` it is a time-boxed grant that ends by itself. */
  async attach(
    orgId: string,
    target: PrincipalTarget,
    policyRef: string,
    actor: Actor,
    options: { expiresAt?: string } = {},
  ): Promise<PolicyAttachment> {
    await Promise.all([this.ensureTargetExists(orgId, target), this.ensurePolicyExists(orgId, policyRef)]);
    const now = this.deps.clock.now();
    if (options.expiresAt !== undefined && !(Date.parse(options.expiresAt) > now.getTime())) {
      throw new ValidationError('The grant is invalid.', [
        { path: 'expiresAt', message: 'must be a time in the future' },
      ]);
    }
    const attachment: PolicyAttachment = {
      target,
      policyRef,
      attachedAt: now.toISOString(),
      ...(options.expiresAt ? { expiresAt: new Date(options.expiresAt).toISOString() } : {}),
    };
    await this.deps.ledger.append({
      orgId,
      actor,
      action: attachment.expiresAt ? 'access:GrantCreated' : 'access:PolicyAttached',
      subject: policyArn(orgId, policyRef),
      details: {
        targetType: target.type,
        targetId: target.id,
        ...(attachment.expiresAt ? { expiresAt: attachment.expiresAt } : {}),
      },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...directoryKeys.attachment(orgId, target, policyRef),
            type: 'PolicyAttachment',
            targetType: target.type,
            targetId: target.id,
            policyRef,
            attachedAt: attachment.attachedAt,
            ...(attachment.expiresAt
              ? {
                  expiresAt: attachment.expiresAt,
                  ttl: Math.floor(Date.parse(attachment.expiresAt) / 1000) + expiredGrantRetentionSeconds,
                }
              : {}),
          },
        },
      ],
    });
    return attachment;
  }

  async detach(orgId: string, target: PrincipalTarget, policyRef: string, actor: Actor): Promise<void> {
    try {
      await this.deps.ledger.append({
        orgId,
        actor,
        action: 'access:PolicyDetached',
        subject: policyArn(orgId, policyRef),
        details: { targetType: target.type, targetId: target.id },
        alsoWrite: [
          { kind: 'delete', key: directoryKeys.attachment(orgId, target, policyRef), condition: { kind: 'exists' } },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new NotFoundError('No such attachment.');
      throw error;
    }
  }

  async listAttachments(orgId: string): Promise<PolicyAttachment[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.attachment });
    return items.map(toAttachment);
  }

  /** Attachments in force now; grants past their end are left out and their expiry recorded once. */
  async attachmentsOf(orgId: string, target: PrincipalTarget): Promise<PolicyAttachment[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.attachmentsOf(target) });
    const now = this.deps.clock.now().toISOString();
    const live: PolicyAttachment[] = [];
    for (const attachment of items.map(toAttachment)) {
      if (attachment.expiresAt !== undefined && attachment.expiresAt <= now) {
        await this.recordExpiry(orgId, attachment);
      } else {
        live.push(attachment);
      }
    }
    return live;
  }

  /** Removes an expired grant and writes its expiry to the ledger; only the caller that deletes it records it. */
  private async recordExpiry(orgId: string, attachment: PolicyAttachment): Promise<void> {
    try {
      await this.deps.ledger.append({
        orgId,
        actor: { type: 'system', id: 'grant-expiry' },
        action: 'access:GrantExpired',
        subject: policyArn(orgId, attachment.policyRef),
        details: {
          targetType: attachment.target.type,
          targetId: attachment.target.id,
          expiredAt: attachment.expiresAt ?? '',
        },
        alsoWrite: [
          {
            kind: 'delete',
            key: directoryKeys.attachment(orgId, attachment.target, attachment.policyRef),
            condition: { kind: 'equals', attribute: 'expiresAt', value: attachment.expiresAt ?? '' },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) return;
      throw error;
    }
  }

  async attachGuardrail(
    orgId: string,
    targetId: string,
    policyRef: string,
    actor: Actor,
  ): Promise<GuardrailAttachment> {
    await this.ensurePolicyExists(orgId, policyRef);
    const targetKey = /^r-/.test(targetId)
      ? directoryKeys.org(orgId)
      : /^ou-[a-z0-9]+$/.test(targetId)
        ? directoryKeys.unit(orgId, targetId)
        : /^\d{12}$/.test(targetId)
          ? directoryKeys.account(orgId, targetId)
          : undefined;
    const target = targetKey ? await this.deps.store.get(targetKey) : undefined;
    if (!target || (/^r-/.test(targetId) && target.rootId !== targetId)) {
      throw new NotFoundError('No such root, organizational unit or account.');
    }
    const attachment: GuardrailAttachment = { targetId, policyRef, attachedAt: this.deps.clock.now().toISOString() };
    await this.deps.ledger.append({
      orgId,
      actor,
      action: 'access:GuardrailAttached',
      subject: policyArn(orgId, policyRef),
      details: { targetId },
      alsoWrite: [
        {
          kind: 'put',
          item: { ...directoryKeys.guardrail(orgId, targetId, policyRef), type: 'GuardrailAttachment', ...attachment },
        },
      ],
    });
    return attachment;
  }

  async detachGuardrail(orgId: string, targetId: string, policyRef: string, actor: Actor): Promise<void> {
    try {
      await this.deps.ledger.append({
        orgId,
        actor,
        action: 'access:GuardrailDetached',
        subject: policyArn(orgId, policyRef),
        details: { targetId },
        alsoWrite: [
          { kind: 'delete', key: directoryKeys.guardrail(orgId, targetId, policyRef), condition: { kind: 'exists' } },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new NotFoundError('No such guardrail attachment.');
      throw error;
    }
  }

  async listGuardrails(orgId: string): Promise<GuardrailAttachment[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.guardrail });
    return items.map(toGuardrail);
  }

  /** A time-boxed right to assume a role, beside the role's trust policy. */
  async grantRole(orgId: string, userId: string, roleId: string, expiresAt: string, actor: Actor): Promise<RoleGrant> {
    await Promise.all([
      this.ensureTargetExists(orgId, { type: 'user', id: userId }),
      this.ensureTargetExists(orgId, { type: 'role', id: roleId }),
    ]);
    const now = this.deps.clock.now();
    if (!(Date.parse(expiresAt) > now.getTime())) {
      throw new ValidationError('The grant is invalid.', [
        { path: 'expiresAt', message: 'must be a time in the future' },
      ]);
    }
    const grant: RoleGrant = {
      userId,
      roleId,
      grantedAt: now.toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    };
    await this.deps.ledger.append({
      orgId,
      actor,
      action: 'access:GrantCreated',
      subject: roleArn(orgId, roleId),
      details: { userId, expiresAt: grant.expiresAt },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...directoryKeys.roleGrant(orgId, userId, roleId),
            type: 'RoleGrant',
            ...grant,
            ttl: Math.floor(Date.parse(grant.expiresAt) / 1000) + expiredGrantRetentionSeconds,
          },
        },
      ],
    });
    return grant;
  }

  /** Live role grants of a user; ended ones are left out and their expiry recorded once. */
  async roleGrantsOf(orgId: string, userId: string, roleId = ''): Promise<RoleGrant[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), {
      skPrefix: `${skPrefixes.roleGrant}${userId}#${roleId}`,
    });
    const now = this.deps.clock.now().toISOString();
    const live: RoleGrant[] = [];
    for (const grant of items.map(toRoleGrant)) {
      if (grant.expiresAt > now) {
        live.push(grant);
        continue;
      }
      // Only the caller whose delete lands records the expiry.
      try {
        await this.deps.ledger.append({
          orgId,
          actor: { type: 'system', id: 'grant-expiry' },
          action: 'access:GrantExpired',
          subject: roleArn(orgId, grant.roleId),
          details: { userId: grant.userId, expiredAt: grant.expiresAt },
          alsoWrite: [
            {
              kind: 'delete',
              key: directoryKeys.roleGrant(orgId, grant.userId, grant.roleId),
              condition: { kind: 'equals', attribute: 'expiresAt', value: grant.expiresAt },
            },
          ],
        });
      } catch (error) {
        if (error instanceof ConditionFailedError) continue;
        throw error;
      }
    }
    return live;
  }
}
