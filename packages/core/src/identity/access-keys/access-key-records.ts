import type { Authorizer } from '../../access/principal.js';
import type { DirectoryDeps } from '../../organization/directory-deps.js';
import { str } from '../../organization/directory-deps.js';
import type { Keyring } from '../../ports/crypto.js';
import type { Item, ItemKey } from '../../ports/store.js';

/** IAM's two states of an access key. */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** An access key as its owner and administrators see it: never its secret. */
export interface AccessKey {
  accessKeyId: string;
  orgId: string;
  userId: string;
  status: AccessKeyStatus;
  createdAt: string;
  lastUsedAt?: string;
  /** The signing service of the last request the key signed (`artifact`). */
  lastUsedService?: string;
}

/** The ports access keys work with; the keyring encrypts secrets with the deployment's data key. */
export interface AccessKeyDeps extends DirectoryDeps {
  keyring?: Keyring;
  authorizer: Authorizer;
}

/** As in IAM: at most two keys per user, so one can be rotated while the other still works. */
export const maxAccessKeysPerUser = 2;

/** `AKIA` + 16 characters of base32, as IAM's long-term access key ids. */
export const accessKeyIdPattern = /^AKIA[A-Z2-7]{16}$/;

export const accessKeyKeys = {
  /** Deployment-wide, so a signed request finds its key (and owner) in one read. */
  key: (accessKeyId: string): ItemKey => ({ pk: `ACCESSKEY#${accessKeyId}`, sk: 'ACCESSKEY' }),
  /** One item per used slot (0, 1): creating a key claims a free slot under a condition, so concurrent creates cannot exceed two. */
  slot: (orgId: string, userId: string, slot: number): ItemKey => ({
    pk: `ORG#${orgId}`,
    sk: `ACCESSKEYSLOT#${userId}#${slot}`,
  }),
  /** gsi1 partition listing a user's keys. */
  userIndex: (orgId: string, userId: string) => `USERACCESSKEYS#${orgId}#${userId}`,
  /** Temporary credentials (STS GetSessionToken), deployment-wide like keys; expire with their TTL. */
  temporary: (accessKeyId: string): ItemKey => ({ pk: `SESSIONCREDENTIALS#${accessKeyId}`, sk: 'SESSIONCREDENTIALS' }),
  /** A signature seen within the clock-skew window (replay refusal); expires with the window. */
  signature: (signature: string): ItemKey => ({ pk: `SIGV4SEEN#${signature}`, sk: 'SIGV4SEEN' }),
};

/** The encryption context of a secret: it decrypts only as the secret of this key of this user. */
export const secretContext = (key: Pick<AccessKey, 'orgId' | 'userId' | 'accessKeyId'>) => ({
  purpose: 'access-key-secret',
  orgId: key.orgId,
  userId: key.userId,
  accessKeyId: key.accessKeyId,
});

export function toAccessKey(item: Item): AccessKey {
  const lastUsedAt = item.lastUsedAt;
  const lastUsedService = item.lastUsedService;
  return {
    accessKeyId: str(item, 'accessKeyId'),
    orgId: str(item, 'orgId'),
    userId: str(item, 'userId'),
    status: item.status === 'Active' ? 'Active' : 'Inactive',
    createdAt: str(item, 'createdAt'),
    ...(typeof lastUsedAt === 'string' ? { lastUsedAt } : {}),
    ...(typeof lastUsedService === 'string' ? { lastUsedService } : {}),
  };
}
