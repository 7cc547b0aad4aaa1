import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { actorOfCaller, type Caller, orgOf } from '../../access/caller.js';
import { requireAllowed } from '../../access/require-allowed.js';
import { userArn } from '../../access/resources.js';
import { commonErrors } from '../../error-codes.js';
import { ConditionFailedError, NotFoundError } from '../../errors.js';
import { parseInput } from '../../input.js';
import { directoryKeys } from '../../organization/directory-keys.js';
import { identityErrors } from '../identity-errors.js';
import {
  type AccessKey,
  type AccessKeyDeps,
  accessKeyKeys,
  maxAccessKeysPerUser,
  secretContext,
} from './access-key-records.js';

/** A user id as the directory issues them. */
export const userIdField = z.string().regex(/^u-[a-z0-9-]{1,64}$/, 'a user id (u-…)');

export const createAccessKeyInput = z.object({
  /** Whose key; default: the caller's own. */
  userId: userIdField.optional(),
});
export type CreateAccessKeyInput = z.infer<typeof createAccessKeyInput>;

export interface CreatedAccessKey {
  accessKey: AccessKey;
  /** Shown once: only its ciphertext (data key, envelope encryption) is stored. */
  secretAccessKey: string;
}

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 80 random bits as 16 base32 characters, after IAM's `AKIA` prefix (STS's `ASIA` for temporary credentials). */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out: string = prefix;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The key owner of an input: the caller's own user unless another is named. */
export function ownerOf(caller: Caller, userId: string | undefined): string {
  const owner = userId ?? (caller.kind === 'principal' ? caller.principal.userId : undefined);
  if (owner === undefined) throw commonErrors.error('forbidden', 'A system caller must name the key owner.');
  return owner;
}

/**
 * The user an access-key act is about (the caller's own unless the input names another), once the
 * caller may `action` that user's keys: the one question every access-key use case asks first.
 */
export async function keyOwnerFor(
  deps: Pick<AccessKeyDeps, 'authorizer'>,
  caller: Caller,
  action: `portal:${string}`,
  userId: string | undefined,
): Promise<{ orgId: string; userId: string }> {
  const orgId = orgOf(caller);
  const owner = ownerOf(caller, userId);
  await requireAllowed(deps.authorizer, caller, action, userArn(orgId, owner));
  return { orgId, userId: owner };
}

/**
 * IAM's CreateAccessKey: a new key for an active user, at most two per user (a slot item per key,
 * claimed under a condition with the key and the ledger entry, so concurrent creates cannot pass two).
 * The secret is returned once and stored only encrypted with the data key, bound to the key and user.
 * A caller whose own user has MFA must be in a session that passed it; an assumed-role session may not
 * create long-term keys (they would carry the user's permissions, not the role's).
 */
export async function createAccessKey(
  deps: AccessKeyDeps,
  caller: Caller,
  rawInput: CreateAccessKeyInput,
): Promise<CreatedAccessKey> {
  const input = parseInput(createAccessKeyInput, rawInput);
  const { orgId, userId } = await keyOwnerFor(deps, caller, 'portal:CreateAccessKey', input.userId);
  if (caller.kind === 'principal') {
    const { principal } = caller;
    if (principal.role) {
      throw commonErrors.error('forbidden', 'An assumed-role session cannot create long-term access keys.');
    }
    const self = await deps.store.get(directoryKeys.user(orgId, principal.userId), { consistent: true });
    if (typeof self?.mfaSecret === 'string' && !principal.mfaPresent) {
      throw identityErrors.error(
        'access_key_mfa_required',
        'Creating an access key needs a session that passed MFA; step up with your MFA code (POST /api/session/mfa).',
      );
    }
  }
  const owner = await deps.store.get(directoryKeys.user(orgId, userId), { consistent: true });
  if (!owner) throw new NotFoundError(`No user ${userId}.`);
  if (owner.status !== 'active') {
    throw identityErrors.error('access_key_owner_inactive', `User ${userId} is not active: it cannot have keys.`);
  }
  if (!deps.keyring) throw new Error('access keys need the data keyring (PortalPorts.keyring)');
  const accessKeyId = newAccessKeyId();
  const secretAccessKey = randomBytes(30).toString('base64');
  const accessKey: AccessKey = {
    accessKeyId,
    orgId,
    userId,
    status: 'Active',
    createdAt: deps.clock.now().toISOString(),
  };
  const ciphertext = await deps.keyring.encrypt(new TextEncoder().encode(secretAccessKey), secretContext(accessKey));
  for (let slot = 0; slot < maxAccessKeysPerUser; slot++) {
    try {
      await deps.ledger.append({
        orgId,
        actor: actorOfCaller(caller),
        action: 'identity:AccessKeyCreated',
        subject: userArn(orgId, userId),
        accountId: String(owner.accountId ?? ''),
        details: { accessKeyId },
        alsoWrite: [
          {
            kind: 'put',
            item: { ...accessKeyKeys.slot(orgId, userId, slot), type: 'AccessKeySlot', accessKeyId },
            condition: { kind: 'notExists' },
          },
          {
            kind: 'put',
            item: {
              ...accessKeyKeys.key(accessKeyId),
              type: 'AccessKey',
              ...accessKey,
              slot,
              secret: Buffer.from(ciphertext).toString('base64'),
              gsi1pk: accessKeyKeys.userIndex(orgId, userId),
              gsi1sk: `${accessKey.createdAt}#${accessKeyId}`,
            },
            condition: { kind: 'notExists' },
          },
        ],
      });
      return { accessKey, secretAccessKey };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  throw identityErrors.error(
    'access_key_limit_exceeded',
    `User ${userId} already has ${maxAccessKeysPerUser} access keys: delete one first.`,
  );
}
