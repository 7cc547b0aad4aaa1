import type { Principal, RequestContext } from './principal.js';
import { roleArn, userArn } from './resources.js';

/**
 * The condition keys every request carries, from the principal and the clock: filled the same way by
 * the route gate, the use cases (through the access module) and the simulator, so a policy on
 * `aws:username` or `aws:EpochTime` means the same everywhere (docs/access-policies.md lists them).
 */
export function principalRequestContext(principal: Principal, now: Date): RequestContext {
  return {
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': Math.floor(now.getTime() / 1000),
    'aws:MultiFactorAuthPresent': principal.mfaPresent,
    'aws:username': principal.email,
    'aws:userid': principal.userId,
    // An assumed-role session acts as its role, as an IAM role session's aws:PrincipalArn is the role's.
    'aws:PrincipalArn': principal.role
      ? roleArn(principal.orgId, principal.role.roleId)
      : userArn(principal.orgId, principal.userId),
    'portal:PrincipalAccount': principal.accountId,
    ...Object.fromEntries(Object.entries(principal.tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
  };
}

/** A request context read by case-folded key (condition keys are case-insensitive). */
export type RequestContextIndex = (lowerCaseKey: string) => RequestContext[string];

/** The principal's own keys, case-folded, per principal object (a principal is never changed once built). */
const principalKeys = new WeakMap<Principal, Map<string, RequestContext[string]>>();

/**
 * The same keys as `{ ...principalRequestContext(principal, now), ...context }`, without building
 * them per decision: the principal's keys are folded once per principal, the clock is read only when
 * a policy asks for the time, and `context` (the object's own keys) wins as the spread would.
 */
export function principalContextIndex(
  principal: Principal,
  now: () => Date,
  context: RequestContext,
): RequestContextIndex {
  let keys = principalKeys.get(principal);
  if (!keys) {
    keys = new Map();
    for (const [name, value] of Object.entries(principalRequestContext(principal, new Date(0)))) {
      if (name !== 'aws:CurrentTime' && name !== 'aws:EpochTime') keys.set(name.toLowerCase(), value);
    }
    principalKeys.set(principal, keys);
  }
  const own = keys;
  const extra = Object.keys(context);
  let at: Date | undefined;
  const time = () => {
    at ??= now();
    return at;
  };
  return (lowerCaseKey) => {
    // Last wins among keys that fold alike, as in the spread.
    for (let i = extra.length - 1; i >= 0; i--) {
      const name = extra[i] as string;
      if (name.toLowerCase() === lowerCaseKey) return context[name];
    }
    if (lowerCaseKey === 'aws:currenttime') return time().toISOString();
    if (lowerCaseKey === 'aws:epochtime') return Math.floor(time().getTime() / 1000);
    return own.get(lowerCaseKey);
  };
}
