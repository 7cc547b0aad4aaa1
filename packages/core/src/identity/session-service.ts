import { randomBytes } from 'node:crypto';
import { actorOf, userActor } from '../access/actor.js';
import type { PolicyStore } from '../access/policy-store.js';
import type { Principal } from '../access/principal.js';
import { roleArn, userArn } from '../access/resources.js';
import { ConditionFailedError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Item, ItemValue, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hashing.js';
import { checkPassword } from './password-rules.js';
import { SignInRefusedError } from './sign-in-refused.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.js';
import { passwordHashOf, toRole, toUser, type User, type UserDirectory } from './user-directory.js';

export interface SessionSettings {
  /** Absolute lifetime of a signed-in session. */
  ttlSeconds: number;
}

/** The ports and the directory use cases sessions work with (built once, by the composition root). */
export interface SessionDeps extends DirectoryDeps {
  users: UserDirectory;
  policies: Pick<PolicyStore, 'roleGrantsOf'>;
}

export const defaultSessionSettings: SessionSettings = { ttlSeconds: 8 * 3600 };

export interface Session {
  sessionId: string;
  orgId: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  mfaPresent: boolean;
  role?: { roleId: string; name: string };
  /** Signed in, but MFA enrolment is due first: only the enrolment routes accept this session. */
  enrolmentOnly: boolean;
}

export interface IssuedSession {
  token: string;
  session: Session;
  user: User;
}

const sessionKey = (token: string) => ({ pk: `SESSION#${sha256Hex(token)}`, sk: 'SESSION' });
const userSessionsIndex = (orgId: string, userId: string) => `USERSESSIONS#${orgId}#${userId}`;
/** Opaque tokens: 32 random bytes, base64url, with a prefix that tells them from OIDC JWTs. */
const tokenPattern = /^ps_[A-Za-z0-9_-]{43}$/;
const recoveryCodeCount = 10;

function toSession(item: Item): Session {
  const role = item.role as { roleId?: string; name?: string } | undefined;
  return {
    sessionId: str(item, 'sessionId'),
    orgId: str(item, 'orgId'),
    userId: str(item, 'userId'),
    createdAt: str(item, 'createdAt'),
    expiresAt: str(item, 'expiresAt'),
    mfaPresent: item.mfaPresent === true,
    ...(role?.roleId ? { role: { roleId: role.roleId, name: role.name ?? '' } } : {}),
    enrolmentOnly: item.enrolmentOnly === true,
  };
}

/** Without a real client address, one shared counter would let anyone lock everyone out: skip it. */
const knownAddress = (clientIp: string) => clientIp !== '' && clientIp !== 'unknown';

function newRecoveryCode(): string {
  const raw = randomBytes(10).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
}

/**
 * Sign-in, sessions and MFA. Session tokens are opaque random strings; only their SHA-256 is stored,
 * with a TTL, so a table read leaks no usable token. Revocation deletes the item.
 */
export class SessionService {
  private readonly users: UserDirectory;
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly deps: SessionDeps,
    private readonly settings: SessionSettings = defaultSessionSettings,
  ) {
    this.users = deps.users;
    this.throttle = new SignInThrottle(deps.store, deps.clock);
  }

  async signIn(input: {
    email: string;
    password: string;
    totp?: string;
    newPassword?: string;
    clientIp: string;
  }): Promise<IssuedSession> {
    const email = input.email.trim().toLowerCase();
    const locked = Math.max(
      await this.throttle.lockedFor('account', email),
      knownAddress(input.clientIp) ? await this.throttle.lockedFor('ip', input.clientIp) : 0,
    );
    if (locked > 0) {
      throw new SignInRefusedError('sign_in_locked', 'Too many failed sign-ins; try again later.', locked);
    }
    const item = await this.users.findByEmail(email);
    const stored = item ? passwordHashOf(item) : undefined;
    const passwordOk = await verifyPassword(input.password, stored ?? (await decoyHash()));
    if (!item || !stored || !passwordOk || item.status !== 'active') {
      await this.fail(email, input.clientIp, item, 'password');
      throw new SignInRefusedError('invalid_credentials', 'The email or password is wrong.');
    }
    let working = item;
    let mfaPresent = false;
    if (typeof item.mfaSecret === 'string') {
      if (input.totp === undefined) {
        throw new SignInRefusedError('totp_required', 'This user has MFA: send the current code as `totp`.');
      }
      const consumed = await this.consumeSecondFactor(item, input.totp);
      if (!consumed) {
        await this.fail(email, input.clientIp, item, 'mfa');
        throw new SignInRefusedError('invalid_mfa_code', 'The MFA code is wrong, expired or already used.');
      }
      working = consumed;
      mfaPresent = true;
    }
    if (working.mustChangePassword === true) {
      if (input.newPassword === undefined) {
        throw new SignInRefusedError(
          'password_change_required',
          'This password must be changed at first sign-in: send `newPassword` too.',
        );
      }
      const errors = checkPassword(input.newPassword, { email, path: 'newPassword' });
      if (input.newPassword === input.password)
        errors.push({ path: 'newPassword', message: 'must differ from the current password' });
      if (errors.length > 0) throw new ValidationError('The new password breaks the password rules.', errors);
      working = {
        ...working,
        password: (await hashPassword(input.newPassword)) as unknown as ItemValue,
        passwordChangedAt: this.deps.clock.now().toISOString(),
        mustChangePassword: false,
      };
    }
    const now = this.deps.clock.now();
    const user = toUser(working);
    const enrolmentOnly = user.mfaRequired && !user.mfaEnabled;
    const { issued, op } = this.newSession(user, { mfaPresent, enrolmentOnly, ttlSeconds: this.settings.ttlSeconds });
    // The user's changes (spent code, new password, last sign-in) and the session land with the entry.
    await this.users.record(
      {
        orgId: user.orgId,
        actor: userActor(user),
        action: 'identity:SignedIn',
        subject: userArn(user.orgId, user.userId),
        accountId: user.accountId,
        details: {
          mfa: mfaPresent,
          sessionId: issued.session.sessionId,
          passwordChanged: item.mustChangePassword === true,
        },
      },
      [this.users.saveOp({ ...working, lastSignInAt: now.toISOString() }), op],
    );
    await this.throttle.reset('account', email);
    return issued;
  }

  private async fail(email: string, clientIp: string, item: Item | undefined, factor: 'password' | 'mfa') {
    await Promise.all([
      this.throttle.recordFailure('account', email),
      knownAddress(clientIp) ? this.throttle.recordFailure('ip', clientIp) : undefined,
    ]);
    if (item) {
      await this.deps.ledger.append({
        orgId: str(item, 'orgId'),
        actor: { type: 'anonymous', id: email, email },
        action: 'identity:SignInFailed',
        subject: userArn(str(item, 'orgId'), str(item, 'userId')),
        accountId: str(item, 'accountId'),
        details: { factor },
      });
    }
  }

  /**
   * A TOTP code of the current step ±1 not used before by this user, or an unused recovery code.
   * Returns the user item with the step (or the spent recovery code) recorded, or undefined.
   */
  private async consumeSecondFactor(item: Item, code: string): Promise<Item | undefined> {
    const secret = str(item, 'mfaSecret');
    const trimmed = code.trim();
    const step = matchTotpStep(secret, trimmed, this.deps.clock.now());
    if (step !== undefined) {
      const lastStep = typeof item.lastTotpStep === 'number' ? item.lastTotpStep : -1;
      if (step <= lastStep) return undefined;
      return { ...item, lastTotpStep: step };
    }
    const codes = Array.isArray(item.recoveryCodes) ? (item.recoveryCodes as string[]) : [];
    const hashed = sha256Hex(trimmed.toLowerCase());
    if (!codes.includes(hashed)) return undefined;
    return { ...item, recoveryCodes: codes.filter((c) => c !== hashed) };
  }

  /** A new session and the write that stores it (to commit with the act's ledger entry). */
  private newSession(
    user: User,
    options: {
      mfaPresent: boolean;
      enrolmentOnly: boolean;
      ttlSeconds: number;
      role?: { roleId: string; name: string };
      parentSessionId?: string;
    },
  ): { issued: IssuedSession; op: WriteOp } {
    const token = `ps_${randomBytes(32).toString('base64url')}`;
    const now = this.deps.clock.now();
    const expires = new Date(now.getTime() + options.ttlSeconds * 1000);
    const session: Session = {
      sessionId: `s-${this.deps.ids.newId().toLowerCase()}`,
      orgId: user.orgId,
      userId: user.userId,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
      mfaPresent: options.mfaPresent,
      ...(options.role ? { role: options.role } : {}),
      enrolmentOnly: options.enrolmentOnly,
    };
    const op: WriteOp = {
      kind: 'put',
      item: {
        ...sessionKey(token),
        type: 'Session',
        ...session,
        ...(options.parentSessionId ? { parentSessionId: options.parentSessionId } : {}),
        gsi1pk: userSessionsIndex(user.orgId, user.userId),
        gsi1sk: session.expiresAt,
        ttl: Math.floor(expires.getTime() / 1000),
      },
      condition: { kind: 'notExists' },
    };
    return { issued: { token, session, user }, op };
  }

  /** The session behind a token, if it is well-formed, unexpired and not revoked. */
  async sessionFor(token: string): Promise<Session | undefined> {
    if (!tokenPattern.test(token)) return undefined;
    const item = await this.deps.store.get(sessionKey(token), { consistent: true });
    if (!item) return undefined;
    const session = toSession(item);
    if (session.expiresAt <= this.deps.clock.now().toISOString()) return undefined;
    return session;
  }

  /** The principal a token speaks for; undefined for any invalid, expired or revoked session or inactive user. */
  async authenticate(token: string): Promise<{ principal: Principal; session: Session } | undefined> {
    const session = await this.sessionFor(token);
    if (!session) return undefined;
    const item = await this.deps.store.get(directoryKeys.user(session.orgId, session.userId), { consistent: true });
    if (item?.status !== 'active') return undefined;
    const user = toUser(item);
    return {
      session,
      principal: {
        orgId: user.orgId,
        accountId: user.accountId,
        userId: user.userId,
        email: user.email,
        displayName: user.displayName,
        sessionId: session.sessionId,
        mfaPresent: session.mfaPresent,
        ...(session.role ? { role: session.role } : {}),
        tags: user.tags,
      },
    };
  }

  async revoke(token: string, principal?: Principal): Promise<void> {
    const session = await this.sessionFor(token);
    // Signing out must work even when the ledger cannot record it: the delete does not wait for the entry.
    await this.deps.store.delete(sessionKey(token));
    if (session && principal) {
      await this.deps.ledger.append({
        orgId: session.orgId,
        actor: actorOf(principal),
        action: 'identity:SignedOut',
        subject: userArn(session.orgId, session.userId),
        accountId: principal.accountId,
        details: { sessionId: session.sessionId },
      });
    }
  }

  /** Sessions still live, for the credential report. */
  async activeSessionCount(orgId: string, userId: string): Promise<number> {
    const page = await this.deps.store.query(userSessionsIndex(orgId, userId), {
      index: 'gsi1',
      skBetween: [this.deps.clock.now().toISOString(), '9999'],
      limit: 100,
    });
    return page.items.length;
  }

  /**
   * Assumes a role: a new, shorter session holding only the role's permissions. The role's trust
   * policy (named users, groups) or a live time-boxed grant must admit the caller.
   */
  async assumeRole(principal: Principal, currentToken: string, roleId: string): Promise<IssuedSession> {
    const current = await this.sessionFor(currentToken);
    if (!current || current.sessionId !== principal.sessionId) throw new NotFoundError('No such session.');
    if (!/^role-[a-z0-9]+$/.test(roleId)) throw new NotFoundError('No such role.');
    const roleItem = await this.deps.store.get(directoryKeys.role(principal.orgId, roleId));
    if (!roleItem) throw new NotFoundError('No such role.');
    const role = toRole(roleItem);
    const [groups, grants] = await Promise.all([
      this.users.groupIdsOf(principal.orgId, principal.userId),
      this.deps.policies.roleGrantsOf(principal.orgId, principal.userId, roleId),
    ]);
    const now = this.deps.clock.now();
    const granted = grants.length > 0;
    const trusted = role.trust.users.includes(principal.userId) || groups.some((g) => role.trust.groups.includes(g));
    if (!trusted && !granted) {
      await this.deps.ledger.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'access:Denied',
        subject: roleArn(principal.orgId, roleId),
        accountId: principal.accountId,
        details: {
          action: 'portal:AssumeRole',
          reason: "the role's trust policy does not name this user or its groups",
        },
      });
      throw new ForbiddenError("The role's trust policy does not allow you to assume it.", 'role_not_trusted');
    }
    const user = await this.users.get(principal.orgId, principal.userId);
    const remaining = Math.floor((Date.parse(current.expiresAt) - now.getTime()) / 1000);
    const grantEnd = grants.map((g) => Date.parse(g.expiresAt)).sort((a, b) => b - a)[0];
    const grantRemaining =
      !trusted && grantEnd ? Math.floor((grantEnd - now.getTime()) / 1000) : Number.POSITIVE_INFINITY;
    const { issued, op } = this.newSession(user, {
      mfaPresent: current.mfaPresent,
      enrolmentOnly: false,
      ttlSeconds: Math.max(1, Math.min(role.maxSessionSeconds, remaining, grantRemaining)),
      role: { roleId, name: role.name },
      parentSessionId: current.sessionId,
    });
    await this.deps.ledger.append({
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'access:RoleAssumed',
      subject: roleArn(principal.orgId, roleId),
      accountId: principal.accountId,
      details: { roleName: role.name, sessionId: issued.session.sessionId, expiresAt: issued.session.expiresAt },
      alsoWrite: [op],
    });
    return issued;
  }

  /** Step-up: a session that lacks MFA gains it with a valid, unused code. */
  async stepUp(token: string, code: string, clientIp: string): Promise<Session> {
    const session = await this.sessionFor(token);
    if (!session) throw new NotFoundError('No such session.');
    const item = await this.users.getItem(session.orgId, session.userId);
    if (typeof item.mfaSecret !== 'string') {
      throw new SignInRefusedError('mfa_not_enrolled', 'Enrol an MFA device first (POST /api/me/mfa).');
    }
    const email = str(item, 'email');
    const locked = await this.throttle.lockedFor('account', email);
    if (locked > 0)
      throw new SignInRefusedError('sign_in_locked', 'Too many failed attempts; try again later.', locked);
    const consumed = await this.consumeSecondFactor(item, code);
    if (!consumed) {
      await this.fail(email, clientIp, item, 'mfa');
      throw new SignInRefusedError('invalid_mfa_code', 'The MFA code is wrong, expired or already used.');
    }
    await this.users.save(consumed);
    await this.deps.store.put({ ...(await this.sessionItem(token)), mfaPresent: true }, { kind: 'exists' });
    return { ...session, mfaPresent: true };
  }

  private async sessionItem(token: string): Promise<Item> {
    const item = await this.deps.store.get(sessionKey(token), { consistent: true });
    if (!item) throw new NotFoundError('No such session.');
    return item;
  }

  /** Starts TOTP enrolment: a new secret, pending until a code from it is confirmed. */
  async beginMfaEnrolment(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
    const item = await this.users.getItem(principal.orgId, principal.userId);
    if (typeof item.mfaSecret === 'string') {
      throw new ValidationError('MFA is already enabled.', [{ path: 'mfa', message: 'already enabled for this user' }]);
    }
    const secret = newTotpSecret();
    await this.users.save({ ...item, pendingMfaSecret: secret });
    return { secret, otpauthUri: totpUri(secret, str(item, 'email')) };
  }

  /**
   * Confirms enrolment with a code from the new secret; returns the one-time recovery codes (only
   * their hashes are kept). The current session now counts as having passed MFA.
   */
  async confirmMfaEnrolment(principal: Principal, token: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const item = await this.users.getItem(principal.orgId, principal.userId);
    const pending = item.pendingMfaSecret;
    if (typeof pending !== 'string') {
      throw new ValidationError('No MFA enrolment is pending.', [
        { path: 'totp', message: 'start with POST /api/me/mfa' },
      ]);
    }
    const step = matchTotpStep(pending, code.trim(), this.deps.clock.now());
    if (step === undefined) {
      throw new ValidationError('The code does not match.', [
        { path: 'totp', message: 'is not a current code of the new secret' },
      ]);
    }
    const recoveryCodes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
    const { pendingMfaSecret: _dropped, ...rest } = item;
    await this.users.record(
      {
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'identity:MfaEnabled',
        subject: userArn(principal.orgId, principal.userId),
        accountId: principal.accountId,
        details: { recoveryCodes: recoveryCodeCount },
      },
      [
        this.users.saveOp({
          ...rest,
          pk: item.pk,
          sk: item.sk,
          mfaSecret: pending,
          mfaEnabledAt: this.deps.clock.now().toISOString(),
          lastTotpStep: step,
          recoveryCodes: recoveryCodes.map((c) => sha256Hex(c)),
        }),
      ],
    );
    // The current session's upgrade is not part of the act: a session revoked meanwhile is fine.
    try {
      await this.deps.store.put(
        { ...(await this.sessionItem(token)), mfaPresent: true, enrolmentOnly: false },
        { kind: 'exists' },
      );
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    return { recoveryCodes };
  }
}
