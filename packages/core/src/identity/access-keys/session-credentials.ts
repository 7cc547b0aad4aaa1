import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { actorOf } from '../../access/actor.js';
import { userArn } from '../../access/resources.js';
import { commonErrors } from '../../error-codes.js';
import { parseInput } from '../../input.js';
import { str } from '../../organization/directory-deps.js';
import type { AttemptBudgets } from '../attempt-budget.js';
import { consumeSecondFactor } from '../second-factor.js';
import { recordFailure } from '../sign-in.js';
import { SignInRefusedError } from '../sign-in-refused.js';
import type { UserDirectory } from '../user-directory.js';
import { type AccessKeyDeps, accessKeyKeys } from './access-key-records.js';
import { newAccessKeyId } from './create-access-key.js';
import type { SigningCredentials } from './signing-credentials.js';

/** What issuing temporary credentials needs beyond the access keys' ports: the MFA check and its budget. */
export interface SessionCredentialDeps extends AccessKeyDeps {
  users: UserDirectory;
  budgets: AttemptBudgets;
}

/**
 * STS's GetSessionToken takes 900 s to 36 h (default 12 h). The portal keeps them short: a longer
 * duration is cut to 12 h (as STS cuts an account owner's to 1 h), and the default is 1 h.
 */
export const sessionDurationSeconds = { min: 900, max: 129_600, longest: 43_200, default: 3_600 } as const;

/** The one MFA device of a portal user (TOTP): `arn:portal:<orgId>::mfa/<userId>`, as IAM names `…:mfa/<name>`. */
export const mfaDeviceArn = (orgId: string, userId: string) => userArn(orgId, userId).replace('::user/', '::mfa/');

export const sessionTokenInput = z
  .object({
    durationSeconds: z.coerce.number().int().min(sessionDurationSeconds.min).max(sessionDurationSeconds.max).optional(),
    serialNumber: z.string().min(9).max(256).optional(),
    tokenCode: z
      .string()
      .regex(/^\d{6}$/, 'six digits')
      .optional(),
  })
  .refine((input) => (input.serialNumber === undefined) === (input.tokenCode === undefined), {
    message: 'SerialNumber and TokenCode go together',
    path: ['tokenCode'],
  });
export type SessionTokenInput = z.infer<typeof sessionTokenInput>;

export interface TemporaryCredentials {
  /** `ASIA…`, as STS's temporary key ids. */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  mfaPresent: boolean;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The encryption context of a temporary secret: it decrypts only as this credential of this user. */
const temporarySecretContext = (orgId: string, userId: string, accessKeyId: string) => ({
  purpose: 'session-credential-secret',
  orgId,
  userId,
  accessKeyId,
});

const refusedCode = () =>
  new SignInRefusedError('invalid_mfa_code', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');

/**
 * STS's GetSessionToken for a request signed with a long-term access key: temporary credentials
 * (key id, secret, session token) that act as the key's user until they expire, and — when the
 * request carries the user's TOTP (SerialNumber + TokenCode) — with MFA present, which long-term keys
 * never have. The code is checked like a sign-in's (one use per step, the user's MFA attempt budget
 * shared with sign-in, reserved before the check; a wrong code is a SignInFailed entry). Issuing is a
 * ledger entry in one transaction with the credential item; only the secret's ciphertext (data key)
 * and the token's SHA-256 are stored. The credentials die with their key and user (checked on every
 * request) and at expiry.
 */
export async function issueSessionCredentials(
  deps: SessionCredentialDeps,
  signer: SigningCredentials,
  raw: SessionTokenInput,
): Promise<TemporaryCredentials> {
  const input = parseInput(sessionTokenInput, raw);
  if (signer.temporaryAccessKeyId !== undefined) {
    throw commonErrors.error('forbidden', 'Cannot call GetSessionToken with session credentials.');
  }
  const { orgId, userId } = signer.accessKey;
  const item = await deps.users.getItem(orgId, userId);
  let mfaPresent = false;
  if (input.serialNumber !== undefined && input.tokenCode !== undefined) {
    if (typeof item.mfaSecret !== 'string' || input.serialNumber !== mfaDeviceArn(orgId, userId)) throw refusedCode();
    const budget = await deps.budgets.reserve('mfa', `${orgId}#${str(item, 'email')}`);
    if (!budget.granted) {
      throw new SignInRefusedError(
        'sign_in_locked',
        'Too many failed MFA codes; retry later.',
        budget.retryAfterSeconds,
      );
    }
    const consumed = consumeSecondFactor(deps.clock, item, input.tokenCode);
    if (!consumed) {
      await recordFailure(deps, str(item, 'email'), item, 'mfa');
      throw refusedCode();
    }
    await deps.users.save(consumed);
    await budget.release();
    mfaPresent = true;
  }
  if (!deps.keyring) throw new Error('session credentials need the data keyring (PortalPorts.keyring)');
  const accessKeyId = newAccessKeyId('ASIA');
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = randomBytes(96).toString('base64');
  const now = deps.clock.now();
  const expiration = new Date(
    now.getTime() +
      Math.min(input.durationSeconds ?? sessionDurationSeconds.default, sessionDurationSeconds.longest) * 1000,
  ).toISOString();
  const ciphertext = await deps.keyring.encrypt(
    new TextEncoder().encode(secretAccessKey),
    temporarySecretContext(orgId, userId, accessKeyId),
  );
  await deps.ledger.append({
    orgId,
    actor: actorOf(signer.principal),
    action: 'identity:SessionCredentialsIssued',
    subject: userArn(orgId, userId),
    accountId: signer.principal.accountId,
    details: { accessKeyId, sourceAccessKeyId: signer.accessKey.accessKeyId, mfa: mfaPresent, expiration },
    alsoWrite: [
      {
        kind: 'put',
        item: {
          ...accessKeyKeys.temporary(accessKeyId),
          type: 'SessionCredentials',
          accessKeyId,
          orgId,
          userId,
          sourceAccessKeyId: signer.accessKey.accessKeyId,
          secret: Buffer.from(ciphertext).toString('base64'),
          sessionTokenSha256: sha256(sessionToken).toString('hex'),
          mfaPresent,
          issuedAt: now.toISOString(),
          expiration,
          ttl: Math.ceil(Date.parse(expiration) / 1000),
        },
        condition: { kind: 'notExists' },
      },
    ],
  });
  return { accessKeyId, secretAccessKey, sessionToken, expiration, mfaPresent };
}

/**
 * The verifier's side of temporary credentials: the unexpired credential whose session token matches
 * (constant time), issued from a key that is still active, of a user still active (the long-term key's
 * own resolution, read on every request). Undefined for anything else.
 */
export async function resolveSessionCredentials(
  deps: AccessKeyDeps,
  resolveKey: (accessKeyId: string) => Promise<SigningCredentials | undefined>,
  accessKeyId: string,
  sessionToken: string,
): Promise<SigningCredentials | undefined> {
  if (!/^ASIA[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  const item = await deps.store.get(accessKeyKeys.temporary(accessKeyId), { consistent: true });
  if (!item || typeof item.secret !== 'string' || typeof item.sessionTokenSha256 !== 'string') return undefined;
  if (Date.parse(str(item, 'expiration')) <= deps.clock.now().getTime()) return undefined;
  if (!timingSafeEqual(sha256(sessionToken), Buffer.from(item.sessionTokenSha256, 'hex'))) return undefined;
  const source = await resolveKey(str(item, 'sourceAccessKeyId'));
  if (!source || source.accessKey.orgId !== item.orgId || source.accessKey.userId !== item.userId) return undefined;
  // Deactivating the key or the user revoked every credential issued before, even after a reactivation.
  if (source.revokedAt !== undefined && source.revokedAt >= str(item, 'issuedAt')) return undefined;
  if (!deps.keyring) throw new Error('session credentials need the data keyring (PortalPorts.keyring)');
  const plain = await deps.keyring.decrypt(
    Buffer.from(item.secret, 'base64'),
    temporarySecretContext(str(item, 'orgId'), str(item, 'userId'), accessKeyId),
  );
  return {
    accessKey: source.accessKey,
    temporaryAccessKeyId: accessKeyId,
    secretAccessKey: new TextDecoder().decode(plain),
    principal: { ...source.principal, sessionId: `sts-${accessKeyId}`, mfaPresent: item.mfaPresent === true },
  };
}
