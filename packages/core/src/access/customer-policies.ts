import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, newPrefixedId } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import type { ItemValue } from '../ports/store.js';
import { managedPolicyDocument, managedPolicyNames } from './managed-policy-catalog.js';
import { validatePolicyDocument } from './policy/index.js';
import type { NamedPolicy } from './policy/policy-document.js';
import { type CustomerPolicy, toPolicy } from './policy-records.js';
import { policyArn } from './resources.js';

/** Saves a customer-managed policy: its name is unique and not a managed one's, its document valid. */
export async function createPolicy(
  deps: DirectoryDeps,
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
  const now = deps.clock.now().toISOString();
  const policy: CustomerPolicy = {
    policyId: input.policyId ?? newPrefixedId(deps.ids, 'p'),
    name,
    description: input.description ?? '',
    document: validated.document,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.ledger.append({
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

export async function listPolicies(deps: DirectoryDeps, orgId: string): Promise<CustomerPolicy[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.policy });
  return items.map(toPolicy);
}

export async function getPolicy(deps: DirectoryDeps, orgId: string, policyId: string): Promise<CustomerPolicy> {
  if (!/^p-[a-z0-9]+$/.test(policyId)) throw new NotFoundError('No such policy.');
  const item = await deps.store.get(directoryKeys.policy(orgId, policyId));
  if (!item) throw new NotFoundError('No such policy.');
  return toPolicy(item);
}

/** A managed policy name, or the id of one of this organization's policies. */
export async function ensurePolicyExists(deps: DirectoryDeps, orgId: string, policyRef: string): Promise<void> {
  if (managedPolicyDocument(policyRef)) return;
  await getPolicy(deps, orgId, policyRef);
}

/** Managed names resolve to the built-in documents; customer ids to this organization's policies. */
export async function resolvePolicies(
  deps: DirectoryDeps,
  orgId: string,
  refs: readonly string[],
): Promise<Map<string, NamedPolicy>> {
  const resolved = new Map<string, NamedPolicy>();
  const customer: string[] = [];
  for (const ref of new Set(refs)) {
    const managed = managedPolicyDocument(ref);
    if (managed) resolved.set(ref, { name: ref, document: managed });
    else customer.push(ref);
  }
  for (let i = 0; i < customer.length; i += 100) {
    const items = await deps.store.batchGet(customer.slice(i, i + 100).map((id) => directoryKeys.policy(orgId, id)));
    for (const item of items) {
      const policy = toPolicy(item);
      resolved.set(policy.policyId, { name: policy.name, document: policy.document });
    }
  }
  return resolved;
}
