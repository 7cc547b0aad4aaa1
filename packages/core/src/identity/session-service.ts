import type { PolicyStore } from '../access/policy-store.js';
import type { Principal } from '../access/principal.js';
import type { DirectoryDeps } from '../organization/directory-deps.js';
import { assumeRole } from './assume-role.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { beginMfaEnrolment, confirmMfaEnrolment, stepUp } from './mfa.js';
import { activeSessionCount, authenticate, sessionFor } from './session-lookup.js';
import { defaultSessionSettings, type IssuedSession, type Session, type SessionSettings } from './session-records.js';
import { type SignInInput, signIn } from './sign-in.js';
import { revoke } from './sign-out.js';
import type { UserDirectory } from './user-directory.js';
import type { User } from './user-records.js';

export {
  defaultSessionSettings,
  type IssuedSession,
  type Session,
  type SessionSettings,
} from './session-records.js';

/** The ports and the directory use cases sessions work with (built once, by the composition root). */
export interface SessionDeps extends DirectoryDeps {
  users: UserDirectory;
  policies: Pick<PolicyStore, 'roleGrantsOf'>;
  budgets: AttemptBudgets;
}

/**
 * Sign-in, sessions and MFA: one use case per file (sign-in, session-lookup, sign-out, assume-role,
 * mfa); this facade binds them to their dependencies. Session tokens are opaque random strings; only
 * their SHA-256 is stored, with a TTL. Revocation deletes the item.
 */
export class SessionService {
  private readonly deps: SessionDeps & { settings: SessionSettings };

  constructor(deps: SessionDeps, settings: SessionSettings = defaultSessionSettings) {
    this.deps = { ...deps, settings };
  }

  signIn(input: SignInInput): Promise<IssuedSession> {
    return signIn(this.deps, input);
  }
  sessionFor(token: string): Promise<Session | undefined> {
    return sessionFor(this.deps, token);
  }
  authenticate(token: string): Promise<{ principal: Principal; session: Session; user: User } | undefined> {
    return authenticate(this.deps, token);
  }
  revoke(token: string, principal?: Principal): Promise<void> {
    return revoke(this.deps, token, principal);
  }
  activeSessionCount(orgId: string, userId: string): Promise<number> {
    return activeSessionCount(this.deps, orgId, userId);
  }
  assumeRole(principal: Principal, currentToken: string, roleId: string): Promise<IssuedSession> {
    return assumeRole(this.deps, principal, currentToken, roleId);
  }
  stepUp(token: string, code: string): Promise<Session> {
    return stepUp(this.deps, token, code);
  }
  beginMfaEnrolment(principal: Principal, input: { password: string }) {
    return beginMfaEnrolment(this.deps, principal, input);
  }
  confirmMfaEnrolment(principal: Principal, token: string, code: string) {
    return confirmMfaEnrolment(this.deps, principal, token, code);
  }
}
