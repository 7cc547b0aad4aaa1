import type { Principal } from '../../access/principal.js';
import { ConditionFailedError } from '../../errors.js';
import { directoryKeys } from '../../organization/directory-keys.js';
import { toUser } from '../user-directory.js';
import { principalForUser } from '../user-principal.js';
import {
  type AccessKey,
  type AccessKeyDeps,
  accessKeyIdPattern,
  accessKeyKeys,
  secretContext,
  toAccessKey,
} from './access-key-records.js';

/** What a signed request's verifier needs: the secret to recompute the signature, and whom it speaks for. */
export interface SigningCredentials {
  accessKey: AccessKey;
  secretAccessKey: string;
  principal: Principal;
  /** When the key or its user was last deactivated: temporary credentials issued before then stay dead. */
  revokedAt?: string;
  /** Set for temporary credentials (GetSessionToken): their key id, `ASIA…`. */
  temporaryAccessKeyId?: string;
}

/** Last-used is recorded at most this often per key (IAM's is approximate too); the first use always. */
const lastUsedResolutionMs = 60_000;
/** Decrypted secrets are kept this long in memory, so a burst of requests costs one key-service call. */
const secretCacheMs = 5 * 60_000;
const secretCacheLimit = 1_000;

/**
 * The verifier's side of access keys. Status (key and user) is read from the store on every request,
 * so deactivating either refuses the next request; only decrypted secrets are cached (bounded, short).
 */
export function createSigningCredentials(deps: AccessKeyDeps) {
  const secrets = new Map<string, { secret: string; ciphertext: string; until: number }>();

  async function secretOf(key: AccessKey, ciphertext: string): Promise<string> {
    const now = Date.now();
    const cached = secrets.get(key.accessKeyId);
    if (cached && cached.ciphertext === ciphertext && cached.until > now) return cached.secret;
    if (!deps.keyring) throw new Error('access keys need the data keyring (PortalPorts.keyring)');
    const plain = await deps.keyring.decrypt(Buffer.from(ciphertext, 'base64'), secretContext(key));
    const secret = new TextDecoder().decode(plain);
    if (secrets.size >= secretCacheLimit) secrets.clear();
    secrets.set(key.accessKeyId, { secret, ciphertext, until: now + secretCacheMs });
    return secret;
  }

  return {
    /** The active key and active user behind an access key id; undefined for anything else (unknown, inactive, malformed). */
    async resolve(accessKeyId: string): Promise<SigningCredentials | undefined> {
      if (!accessKeyIdPattern.test(accessKeyId)) return undefined;
      const item = await deps.store.get(accessKeyKeys.key(accessKeyId), { consistent: true });
      if (item?.status !== 'Active' || typeof item.secret !== 'string') return undefined;
      const accessKey = toAccessKey(item);
      const userItem = await deps.store.get(directoryKeys.user(accessKey.orgId, accessKey.userId), {
        consistent: true,
      });
      if (userItem?.status !== 'active') return undefined;
      const user = toUser(userItem);
      const revokedAt = [item.deactivatedAt, userItem.deactivatedAt]
        .filter((at): at is string => typeof at === 'string')
        .sort()
        .pop();
      return {
        ...(revokedAt ? { revokedAt } : {}),
        accessKey,
        secretAccessKey: await secretOf(accessKey, item.secret),
        // Long-term keys carry no MFA, as in AWS: acts that need it are refused to them.
        principal: principalForUser(user, { sessionId: `ak-${accessKeyId}`, mfaPresent: false }),
      };
    },

    /**
     * Claims a signature for the clock-skew window: false when it was seen before (a replay). The
     * item expires with the window, so the table holds only the signatures of the last minutes.
     */
    async claimSignature(signature: string, until: Date): Promise<boolean> {
      try {
        await deps.store.put(
          { ...accessKeyKeys.signature(signature), type: 'SignatureSeen', ttl: Math.ceil(until.getTime() / 1000) },
          { kind: 'notExists' },
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionFailedError) return false;
        throw error;
      }
    },

    /** Records when and for which service the key last signed a request (credential report). */
    async recordUse(accessKey: AccessKey, service: string): Promise<void> {
      const now = deps.clock.now();
      const last = accessKey.lastUsedAt ? Date.parse(accessKey.lastUsedAt) : 0;
      if (now.getTime() - last < lastUsedResolutionMs && accessKey.lastUsedService === service) return;
      const item = await deps.store.get(accessKeyKeys.key(accessKey.accessKeyId), { consistent: true });
      if (!item) return;
      try {
        // Conditional on the status read, so a concurrent deactivation is never overwritten.
        await deps.store.put(
          { ...item, lastUsedAt: now.toISOString(), lastUsedService: service },
          { kind: 'equals', attribute: 'status', value: String(item.status) },
        );
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    },
  };
}

export type SigningCredentialsService = ReturnType<typeof createSigningCredentials>;
