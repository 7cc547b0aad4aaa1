/**
 * The authenticated caller of a request, as resolved from a session. Everything the portal does is
 * done by a principal inside an organization.
 */
export interface Principal {
  orgId: string;
  /** The member account the user belongs to (12 digits). */
  accountId: string;
  userId: string;
  email: string;
  displayName: string;
  sessionId: string;
  /** This session passed MFA (drives `aws:MultiFactorAuthPresent`). */
  mfaPresent: boolean;
  /** Set when the session is an assumed-role session: only the role's permissions apply. */
  role?: { roleId: string; name: string };
  /** Principal tags (`aws:PrincipalTag/<key>`). */
  tags: Record<string, string>;
}

/** The answer to "may this principal do this action on this resource?". */
export interface AuthorizationDecision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** Human-readable: which statement decided, or which guardrail did not allow. */
  reason: string;
  matchedStatements: Array<{
    policy: string;
    sid?: string;
    effect: 'Allow' | 'Deny';
    source: 'identity' | 'guardrail';
  }>;
}

/** Condition-key values of one request (`portal:ReportCategory`, `aws:CurrentTime`, ...). */
export type RequestContext = Record<string, string | string[] | number | boolean | undefined>;

/** The one authorization question; every route asks it. */
export interface Authorizer {
  authorize(
    principal: Principal,
    action: string,
    resource: string,
    context?: RequestContext,
  ): Promise<AuthorizationDecision>;
  /**
   * Optional: for condition keys every request of a listing carries, the values outside of which the
   * principal could never be allowed `action` (policy/condition-bounds.ts). A key absent from the
   * answer is unbounded. Listings use it to query only those partitions; `authorize` still decides.
   */
  conditionBounds?(
    principal: Principal,
    action: string,
    keys: readonly string[],
  ): Promise<Map<string, ReadonlySet<string>>>;
}
