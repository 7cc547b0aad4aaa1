import type { DomainError } from '../errors.js';
import { accessErrors } from './access-errors.js';
import type { Caller, PrincipalCaller } from './caller.js';
import type { AuthorizationDecision, Authorizer, RequestContext } from './principal.js';

/**
 * The one way an operation asks the authorization question and refuses: `authorize(principal,
 * action, resource, context)`; anything but Allow is a 403 (`explicit_deny` / `implicit_deny`) whose
 * detail names the action, the resource and the reason, and is logged. System callers are trusted
 * code and are not asked. Route gates and use cases both come through here.
 */
export async function requireAllowed(
  authorizer: Authorizer,
  caller: Caller,
  action: `portal:${string}`,
  resource: string,
  context: RequestContext = {},
): Promise<void> {
  if (caller.kind === 'system') return;
  const { principal } = caller;
  const decision = await authorizer.authorize(principal, action, resource, context);
  if (decision.decision === 'Allow') return;
  logDenial(caller, action, resource, decision);
  throw deniedError(decision.decision, `Not allowed to ${action} on ${resource}: ${decision.reason}`);
}

/** The 403 of a refused decision: `explicit_deny` or `implicit_deny`. */
export function deniedError(decision: AuthorizationDecision['decision'], message: string): DomainError {
  return accessErrors.error(decision === 'ExplicitDeny' ? 'explicit_deny' : 'implicit_deny', message);
}

/** A refused decision in the request's log: principal, action, resource and reason, never tokens. */
export function logDenial(
  caller: PrincipalCaller,
  action: string,
  resource: string,
  decision: AuthorizationDecision,
): void {
  const { principal } = caller;
  caller.logger?.log('warn', 'access denied', {
    principal: { userId: principal.userId, orgId: principal.orgId, role: principal.role?.name },
    action,
    resource,
    decision: decision.decision,
    reason: decision.reason,
  });
}
