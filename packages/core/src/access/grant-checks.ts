import { accessErrors } from './access-errors.js';
import type { Caller } from './caller.js';
import type { PolicyDocument } from './policy/policy-document.js';
import { portalActions } from './policy/portal-actions.js';
import { wildcardMatch } from './policy/wildcard-match.js';
import type { AuthorizationDecision, Authorizer, Principal, RequestContext } from './principal.js';
import { principalRequestContext } from './request-context.js';
import { requireAllowed } from './require-allowed.js';

/** What the grant checks ask: the authorization question, and a side-effect-free evaluation of the caller's own rights. */
export interface GrantCheckDeps {
  authorizer: Authorizer;
  /** The caller's decisions without recording denials (the permissions evaluation). */
  evaluate: (
    principal: Principal,
    action: string,
    resource: string,
    context: RequestContext,
  ) => Promise<AuthorizationDecision>;
  now: () => Date;
}

const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The (action, resource pattern) pairs a document allows; NotAction/NotResource expand to the rest of the catalog / `*`. */
export function allowedPairs(document: PolicyDocument): Array<{ action: string; resource: string }> {
  const pairs = new Map<string, { action: string; resource: string }>();
  for (const statement of document.Statement) {
    if (statement.Effect !== 'Allow') continue;
    const matches = (patterns: string[]) => (action: string) =>
      patterns.some((pattern) => wildcardMatch(pattern, action, { caseInsensitive: true }));
    const actions =
      statement.Action !== undefined
        ? portalActions.filter(matches(asList(statement.Action)))
        : portalActions.filter((action) => !matches(asList(statement.NotAction))(action));
    const resources = statement.Resource !== undefined ? asList(statement.Resource) : ['*'];
    for (const action of actions) {
      for (const resource of resources) pairs.set(`${action} ${resource}`, { action, resource });
    }
  }
  return [...pairs.values()];
}

/**
 * Attaching a policy to a user, group or role, detaching it, attaching or detaching a guardrail, or
 * granting a role, is asked about the POLICY and about the TARGET (as IAM authorizes AttachUserPolicy on
 * the user): `portal:ManageAccess` on both. Handing out permissions (an attachment, a time-boxed grant, a
 * role grant) is also refused when what is handed out allows anything the caller is not allowed itself
 * (`exceeds_caller_permissions`): a principal can delegate only what it holds, so no one raises itself,
 * its group or a role it can assume above its own rights. A granted pattern is held when the caller is
 * allowed the action on the pattern itself (so `arn:portal:o-1:*` covers `arn:portal:o-1:*:report/*`, a
 * pattern on one account does not cover every account, and only `*` covers `*`); the granted
 * statement's conditions are ignored, which can only refuse more.
 */
export async function requireMayGrant(
  deps: GrantCheckDeps,
  caller: Caller,
  question: { policyArn: string; targetArns: string[]; handsOut?: PolicyDocument[] },
): Promise<void> {
  for (const resource of [question.policyArn, ...question.targetArns]) {
    await requireAllowed(deps.authorizer, caller, 'portal:ManageAccess', resource);
  }
  if (caller.kind !== 'principal' || !question.handsOut) return;
  const { principal } = caller;
  const context = principalRequestContext(principal, deps.now());
  const lacking: string[] = [];
  for (const document of question.handsOut) {
    for (const { action, resource } of allowedPairs(document)) {
      const decision = await deps.evaluate(principal, action, resource, context);
      if (decision.decision !== 'Allow') lacking.push(`${action} on ${resource}`);
    }
  }
  if (lacking.length > 0) {
    throw accessErrors.error(
      'exceeds_caller_permissions',
      `It would allow what you are not allowed yourself: ${lacking.slice(0, 5).join('; ')}${
        lacking.length > 5 ? ` (and ${lacking.length - 5} more)` : ''
      }.`,
    );
  }
}
