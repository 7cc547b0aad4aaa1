import { NotFoundError } from '../errors.js';
import { toRole, toUser, type User } from '../identity/user-directory.js';
import { principalForUser } from '../identity/user-principal.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import type { Logger } from '../ports/runtime.js';
import { actorOf } from './actor.js';
import { AuthorizationContexts } from './authorization-context.js';
import { conditionBounds } from './policy/condition-bounds.js';
import { evaluatePolicies } from './policy/evaluate-policies.js';
import type { NamedPolicy } from './policy/policy-document.js';
import type { PolicyStore } from './policy-store.js';
import type { AuthorizationDecision, Authorizer, Principal, RequestContext } from './principal.js';
import { principalContextIndex } from './request-context.js';

/** Actions whose denials are worth a ledger entry (someone probing administration), not just a log line. */
const ledgeredDenials = new Set([
  'portal:ManageOrganization',
  'portal:ManageAccess',
  'portal:AcceptAgreement',
  'portal:TerminateAgreement',
  'portal:ExportEvidence',
  'portal:PublishReport',
  'portal:PublishAgreement',
  'portal:ManagePublishers',
  'portal:AssumeRole',
]);

export interface AnalyzedPrincipal {
  type: 'user' | 'role';
  id: string;
  name: string;
  accountId: string;
}

/** The principal a user would be in a fresh session (simulator, access analysis). */
export { principalForUser };

/** What the access module reads through: the ports and the policy use cases. */
export interface AccessDeps extends DirectoryDeps {
  logger?: Logger;
  policies: PolicyStore;
}

/**
 * The one authorization question: the principal's policy set (identity policies: its own, its groups'
 * and live time-boxed grants, or only the assumed role's; the guardrails on the path root -> OU… ->
 * account), loaded once per request and cached behind the organization's access stamp, asked of the
 * policy evaluator in memory. Management-account principals are not bound by guardrails, as SCPs
 * never bind an AWS management account.
 */
export class AccessService implements Authorizer {
  readonly policies: PolicyStore;
  private readonly contexts: AuthorizationContexts;

  constructor(private readonly deps: AccessDeps) {
    this.policies = deps.policies;
    this.contexts = new AuthorizationContexts({ store: deps.store, clock: deps.clock, policies: deps.policies });
  }

  async authorize(
    principal: Principal,
    action: string,
    resource: string,
    context: RequestContext = {},
  ): Promise<AuthorizationDecision> {
    const decision = await this.evaluate(principal, action, resource, context);
    if (decision.decision !== 'Allow' && ledgeredDenials.has(action) && principal.sessionId !== 'simulated') {
      await this.deps.ledger.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'access:Denied',
        subject: resource,
        accountId: principal.accountId,
        details: { action, decision: decision.decision, reason: decision.reason, role: principal.role?.name ?? null },
      });
    }
    return decision;
  }

  /**
   * The decision without side effects (the simulator and access analysis use it). The principal's
   * policy set comes from `AuthorizationContexts`: loaded once per request, kept across requests
   * behind the organization's access stamp, every question then answered in memory.
   */
  async evaluate(
    principal: Principal,
    action: string,
    resource: string,
    context: RequestContext = {},
  ): Promise<AuthorizationDecision> {
    const loaded = await this.contexts.of(principal);
    if (loaded.refusal !== undefined) {
      return { decision: 'ImplicitDeny', reason: loaded.refusal, matchedStatements: [] };
    }
    return evaluatePolicies({
      action,
      resource,
      context,
      contextIndex: principalContextIndex(principal, () => this.deps.clock.now(), context),
      identityPolicies: loaded.identityPolicies,
      guardrails: loaded.guardrails,
      guardrailsApply: loaded.guardrailsApply,
      guardrailLevelNames: loaded.guardrailLevelNames,
    });
  }

  /** The values of `keys` outside of which no identity policy of the principal allows `action` (condition-bounds.ts). */
  async conditionBounds(
    principal: Principal,
    action: string,
    keys: readonly string[],
  ): Promise<Map<string, ReadonlySet<string>>> {
    const loaded = await this.contexts.of(principal);
    if (loaded.refusal !== undefined) return new Map(keys.map((key) => [key, new Set<string>()]));
    return conditionBounds(loaded.identityPolicies, action, keys);
  }

  /** Role session: only the role's policies. Otherwise the user's, its groups' and live grants. */
  async identityPolicies(principal: Pick<Principal, 'orgId' | 'userId' | 'role'>): Promise<NamedPolicy[]> {
    const { orgId } = principal;
    const targets = principal.role
      ? [{ type: 'role' as const, id: principal.role.roleId }]
      : [
          { type: 'user' as const, id: principal.userId },
          ...(
            await queryAll(this.deps.store, orgPartition(orgId), {
              skPrefix: skPrefixes.membershipOf(principal.userId),
            })
          ).map((item) => ({ type: 'group' as const, id: str(item, 'groupId') })),
        ];
    const attachments = (await Promise.all(targets.map((target) => this.policies.attachmentsOf(orgId, target)))).flat();
    const resolved = await this.policies.resolve(
      orgId,
      attachments.map((a) => a.policyRef),
    );
    return attachments.flatMap((a) => {
      const policy = resolved.get(a.policyRef);
      return policy ? [policy] : [];
    });
  }

  /** The simulator: what would this user (email or id, in this organization) be told, and why. */
  async simulate(
    orgId: string,
    input: {
      principal: string;
      action: string;
      resource: string;
      mfaPresent?: boolean;
      roleId?: string;
      /** Condition keys of the request to simulate (a report's category, ...), as AWS's simulator takes. */
      context?: RequestContext;
    },
  ): Promise<AuthorizationDecision> {
    const user = await this.resolveUser(orgId, input.principal);
    let role: { roleId: string; name: string } | undefined;
    if (input.roleId) {
      const item = await this.deps.store.get(directoryKeys.role(orgId, input.roleId));
      if (!item) throw new NotFoundError('No such role.');
      role = { roleId: input.roleId, name: str(item, 'name') };
    }
    return this.evaluate(
      principalForUser(user, { mfaPresent: input.mfaPresent ?? true, ...(role ? { role } : {}) }),
      input.action,
      input.resource,
      input.context ?? {},
    );
  }

  private async resolveUser(orgId: string, emailOrId: string): Promise<User> {
    if (emailOrId.includes('@')) {
      const claim = await this.deps.store.get(directoryKeys.email(orgId, emailOrId.trim().toLowerCase()));
      if (!claim) throw new NotFoundError('No such user.');
      emailOrId = str(claim, 'userId');
    }
    if (!/^u-[a-z0-9]+$/.test(emailOrId)) throw new NotFoundError('No such user.');
    const item = await this.deps.store.get(directoryKeys.user(orgId, emailOrId));
    if (!item) throw new NotFoundError('No such user.');
    return toUser(item);
  }

  /**
   * Access analysis: every active user (in a session with MFA) and every role (as assumed by a user
   * of its own account's org, evaluated under each trusted user's account) that may perform the action.
   */
  async analyze(orgId: string, action: string, resource: string): Promise<AnalyzedPrincipal[]> {
    const [userItems, roleItems] = await Promise.all([
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user }),
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.role }),
    ]);
    const users = userItems.map(toUser).filter((user) => user.status === 'active');
    const allowed: AnalyzedPrincipal[] = [];
    for (const user of users) {
      const decision = await this.evaluate(principalForUser(user, { mfaPresent: true }), action, resource);
      if (decision.decision === 'Allow') {
        allowed.push({ type: 'user', id: user.userId, name: user.email, accountId: user.accountId });
      }
    }
    const memberships = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.membership });
    for (const role of roleItems.map(toRole)) {
      // A role acts from the account of whoever assumes it, so it can pass one account's guardrails and not another's.
      const assumers = users.filter(
        (user) =>
          role.trust.users.includes(user.userId) ||
          memberships.some((m) => m.userId === user.userId && role.trust.groups.includes(str(m, 'groupId'))),
      );
      for (const user of assumers) {
        const decision = await this.evaluate(
          principalForUser(user, { mfaPresent: true, role: { roleId: role.roleId, name: role.name } }),
          action,
          resource,
        );
        if (decision.decision === 'Allow') {
          allowed.push({
            type: 'role',
            id: role.roleId,
            name: `${role.name} (assumed by ${user.email})`,
            accountId: user.accountId,
          });
        }
      }
    }
    return allowed;
  }
}
