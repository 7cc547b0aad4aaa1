import { readHead } from '../ledger/ledger-reads.js';
import { optionalStr, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, type PrincipalTarget, skPrefixes } from '../organization/directory-keys.js';
import { pathFromUnits } from '../organization/organization-service.js';
import { queryAll } from '../ports/query-all.js';
import type { Clock } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { accessGeneration, accessStampOf } from './access-stamp.js';
import { managedPolicyDocument } from './managed-policy-catalog.js';
import type { NamedPolicy, PolicyDocument } from './policy/policy-document.js';
import type { PolicyStore } from './policy-store.js';
import type { Principal } from './principal.js';

/**
 * Everything a decision needs about one principal, loaded once: its identity policies (its own, its
 * groups' and live time-boxed grants; or only its assumed role's) and the guardrails on the path root
 * -> OU… -> its account, resolved to documents. Every question is then answered in memory.
 */
export interface AuthorizationContext {
  /** The organization's access stamp it was loaded under. */
  stamp: string;
  /** Why nothing is allowed at all (the user is not active, the account left), when that is so. */
  refusal?: string;
  identityPolicies: NamedPolicy[];
  /** One list per level of the path: root, OU…, account. */
  guardrails: NamedPolicy[][];
  guardrailLevelNames: string[];
  /** False for management-account principals: guardrails do not bind them, as SCPs never bind an AWS management account. */
  guardrailsApply: boolean;
  /** The earliest end of a time-boxed grant it holds: from then on it is loaded again, which records the expiry. */
  reloadAt?: string;
}

export interface AuthorizationContextDeps {
  store: Store;
  clock: Clock;
  /** Records the expiry of grants found ended, and answers the live ones. */
  policies: Pick<PolicyStore, 'attachmentsOf'>;
  /** Contexts kept across requests (least recently used go first). */
  capacity?: number;
}

const defaultCapacity = 2000;

/**
 * The caller's policy set, loaded once per request and kept across requests behind the organization's
 * access stamp (carried by its ledger head and advanced in the transaction of every act that changes
 * access data, so a change is seen by the very next request, in any process).
 *
 * A request costs one strongly consistent read of the stamp, whatever it asks; a changed stamp
 * reloads the set with strongly consistent reads (a reload that read stale data would otherwise be
 * kept under the new stamp). Within a request (one Principal object), the loaded set is reused
 * until this process commits an access change.
 */
export class AuthorizationContexts {
  private readonly cached = new Map<string, AuthorizationContext>();
  private readonly perRequest = new WeakMap<
    Principal,
    { generation: number; context: Promise<AuthorizationContext> }
  >();
  private readonly capacity: number;

  constructor(private readonly deps: AuthorizationContextDeps) {
    this.capacity = deps.capacity ?? defaultCapacity;
  }

  async of(principal: Principal): Promise<AuthorizationContext> {
    const generation = accessGeneration();
    const held = this.perRequest.get(principal);
    if (held && held.generation === generation) {
      const context = await held.context;
      if (!this.ended(context)) return context;
    }
    const context = this.current(principal);
    this.perRequest.set(principal, { generation, context });
    context.catch(() => {
      if (this.perRequest.get(principal)?.context === context) this.perRequest.delete(principal);
    });
    return context;
  }

  private ended(context: AuthorizationContext): boolean {
    return context.reloadAt !== undefined && context.reloadAt <= this.deps.clock.now().toISOString();
  }

  private async current(principal: Principal): Promise<AuthorizationContext> {
    const stamp = accessStampOf(await readHead(this.deps.store, principal.orgId));
    const key = [principal.orgId, principal.userId, principal.role?.roleId ?? '', principal.accountId].join('\u0000');
    const hit = this.cached.get(key);
    this.cached.delete(key);
    const context = hit && hit.stamp === stamp && !this.ended(hit) ? hit : await this.load(principal, stamp);
    this.cached.set(key, context);
    if (this.cached.size > this.capacity) {
      const oldest = this.cached.keys().next();
      if (!oldest.done) this.cached.delete(oldest.value);
    }
    return context;
  }

  private async load(principal: Principal, stamp: string): Promise<AuthorizationContext> {
    const { store } = this.deps;
    const { orgId } = principal;
    const partition = orgPartition(orgId);
    const [userItem, orgItem, accountItem, unitItems, guardrailItems, holders] = await Promise.all([
      store.get(directoryKeys.user(orgId, principal.userId), { consistent: true }),
      store.get(directoryKeys.org(orgId), { consistent: true }),
      store.get(directoryKeys.account(orgId, principal.accountId), { consistent: true }),
      queryAll(store, partition, { skPrefix: skPrefixes.unit, consistent: true }),
      queryAll(store, partition, { skPrefix: skPrefixes.guardrail, consistent: true }),
      this.policyHolders(principal),
    ]);
    const refused = (refusal: string): AuthorizationContext => ({
      stamp,
      refusal,
      identityPolicies: [],
      guardrails: [],
      guardrailLevelNames: [],
      guardrailsApply: false,
    });
    if (!userItem || !orgItem || userItem.status !== 'active') {
      return refused('the user is not an active member of the organization');
    }
    if (!accountItem) return refused("the user's account is no longer in the organization");
    const attachments = (await Promise.all(holders.map((holder) => this.attachmentsOf(orgId, holder)))).flat();
    const guardrailsApply = principal.accountId !== str(orgItem, 'managementAccountId');
    const rootId = str(orgItem, 'rootId');
    const units = unitItems.map((item) => ({
      unitId: str(item, 'unitId'),
      name: str(item, 'name'),
      parentId: str(item, 'parentId'),
      createdAt: str(item, 'createdAt'),
    }));
    const path = guardrailsApply
      ? pathFromUnits(rootId, units, {
          accountId: str(accountItem, 'accountId'),
          parentId: str(accountItem, 'parentId'),
          name: str(accountItem, 'name'),
          isManagement: accountItem.isManagement === true,
          joinedAt: str(accountItem, 'joinedAt'),
        })
      : [];
    const onPath = guardrailItems
      .map((item) => ({ targetId: str(item, 'targetId'), policyRef: str(item, 'policyRef') }))
      .filter((guardrail) => path.includes(guardrail.targetId));
    const resolved = await this.resolve(orgId, [
      ...attachments.map((attachment) => attachment.policyRef),
      ...onPath.map((guardrail) => guardrail.policyRef),
    ]);
    const policiesOf = (refs: string[]) => refs.flatMap((ref) => resolved.get(ref) ?? []);
    const unitNames = new Map(units.map((unit) => [unit.unitId, unit.name]));
    const [reloadAt] = attachments.flatMap((attachment) => attachment.expiresAt ?? []).sort();
    return {
      stamp,
      identityPolicies: policiesOf(attachments.map((attachment) => attachment.policyRef)),
      guardrails: path.map((node) =>
        policiesOf(onPath.filter((guardrail) => guardrail.targetId === node).map((guardrail) => guardrail.policyRef)),
      ),
      guardrailLevelNames: path.map((node) =>
        node === rootId ? 'root' : unitNames.has(node) ? `OU ${unitNames.get(node)}` : `account ${node}`,
      ),
      guardrailsApply,
      ...(reloadAt !== undefined ? { reloadAt } : {}),
    };
  }

  /** Role session: only the role. Otherwise the user and its groups. */
  private async policyHolders(principal: Principal): Promise<PrincipalTarget[]> {
    if (principal.role) return [{ type: 'role', id: principal.role.roleId }];
    const memberships = await queryAll(this.deps.store, orgPartition(principal.orgId), {
      skPrefix: skPrefixes.membershipOf(principal.userId),
      consistent: true,
    });
    return [
      { type: 'user', id: principal.userId },
      ...memberships.map((item) => ({ type: 'group' as const, id: str(item, 'groupId') })),
    ];
  }

  /** Attachments in force; a holder with an ended grant goes through the policy module, which records the expiry. */
  private async attachmentsOf(
    orgId: string,
    holder: PrincipalTarget,
  ): Promise<Array<{ policyRef: string; expiresAt?: string }>> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), {
      skPrefix: skPrefixes.attachmentsOf(holder),
      consistent: true,
    });
    const now = this.deps.clock.now().toISOString();
    const attachments = items.map((item) => {
      const expiresAt = optionalStr(item, 'expiresAt');
      return { policyRef: str(item, 'policyRef'), ...(expiresAt !== undefined ? { expiresAt } : {}) };
    });
    if (attachments.every((attachment) => attachment.expiresAt === undefined || attachment.expiresAt > now)) {
      return attachments;
    }
    return this.deps.policies.attachmentsOf(orgId, holder);
  }

  /** Managed names resolve to the built-in documents; customer ids to this organization's policies. */
  private async resolve(orgId: string, refs: readonly string[]): Promise<Map<string, NamedPolicy>> {
    const resolved = new Map<string, NamedPolicy>();
    await Promise.all(
      [...new Set(refs)].map(async (ref) => {
        const managed = managedPolicyDocument(ref);
        if (managed) {
          resolved.set(ref, { name: ref, document: managed });
          return;
        }
        const item = await this.deps.store.get(directoryKeys.policy(orgId, ref), { consistent: true });
        if (item) resolved.set(ref, { name: str(item, 'name'), document: item.document as unknown as PolicyDocument });
      }),
    );
    return resolved;
  }
}
