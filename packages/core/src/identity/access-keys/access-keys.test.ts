import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { principalCaller } from '../../access/caller.js';
import type { Principal } from '../../access/principal.js';
import { composePortal } from '../../compose-portal.js';
import { IntegrityError } from '../../errors.js';
import { createUlidGenerator, ManualClock } from '../../ids.js';
import { createLedger } from '../../ledger/ledger.js';
import { directoryKeys } from '../../organization/directory-keys.js';
import type { Keyring } from '../../ports/crypto.js';
import { MemoryStore } from '../../ports/memory-store.js';
import { totpCode } from '../totp.js';
import { mfaDeviceArn } from './session-credentials.js';

/** AES-256-GCM with the encryption context as associated data: stands in for the KMS keyring (tested against the local KMS elsewhere). */
function testKeyring(): Keyring {
  const key = randomBytes(32);
  const aad = (context: Record<string, string>) => Buffer.from(JSON.stringify(Object.entries(context).sort()));
  return {
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(ciphertext, context) {
      const data = Buffer.from(ciphertext);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12)).setAAD(aad(context));
        decipher.setAuthTag(data.subarray(12, 28));
        return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      } catch (cause) {
        throw new IntegrityError('cannot decrypt', { cause });
      }
    },
    encryptStream: () => {
      throw new Error('not used');
    },
    decryptStream: () => {
      throw new Error('not used');
    },
    async ping() {},
  };
}

async function fixture() {
  const store = new MemoryStore();
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));
  const ledger = createLedger({ store, clock });
  const portal = composePortal({
    store,
    clock,
    ids: createUlidGenerator(clock),
    ledger,
    keyring: testKeyring(),
    logger: { log() {}, child: () => ({ log() {}, child: () => ({}) as never }) } as never,
    blobs: {} as never,
  });
  const boot = await portal.bootstrap({ orgName: 'Keys Corp', adminEmail: 'admin@keys.example' });
  const admin: Principal = {
    orgId: boot.organization.orgId,
    accountId: boot.organization.managementAccountId,
    userId: boot.adminUserId,
    email: boot.adminEmail,
    displayName: 'Admin',
    sessionId: 's-1',
    mfaPresent: true,
    tags: {},
  };
  return { store, clock, ledger, portal, admin, caller: principalCaller(admin) };
}

describe('access keys', () => {
  it('creates a key whose secret is returned once and stored only encrypted; the verifier resolves it', async () => {
    const { store, portal, admin, caller, ledger } = await fixture();

    const created = await portal.accessKeys.create(caller, {});
    const resolved = await portal.accessKeys.signing.resolve(created.accessKey.accessKeyId);
    const listed = await portal.accessKeys.list(caller, {});
    const stored = await store.get({ pk: `ACCESSKEY#${created.accessKey.accessKeyId}`, sk: 'ACCESSKEY' });
    const entries = await ledger.list(admin.orgId, {});

    expect(created.accessKey.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(JSON.stringify(stored)).not.toContain(created.secretAccessKey);
    expect(resolved?.secretAccessKey).toBe(created.secretAccessKey);
    expect(resolved?.principal).toMatchObject({ userId: admin.userId, orgId: admin.orgId, mfaPresent: false });
    expect(listed).toEqual([created.accessKey]);
    expect(JSON.stringify(listed)).not.toContain(created.secretAccessKey);
    expect(entries.items.map((entry) => entry.action)).toContain('identity:AccessKeyCreated');
    expect(JSON.stringify(entries.items)).not.toContain(created.secretAccessKey);
  });

  it('allows at most two keys per user, also when creates race; deleting one frees its slot', async () => {
    const { portal, caller } = await fixture();

    const results = await Promise.allSettled([1, 2, 3, 4].map(() => portal.accessKeys.create(caller, {})));
    const made = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as { code?: string }] : [],
    );
    const first = (made[0] as PromiseFulfilledResult<{ accessKey: { accessKeyId: string } }>).value.accessKey;
    await portal.accessKeys.delete(caller, { accessKeyId: first.accessKeyId });
    const again = await portal.accessKeys.create(caller, {});

    expect(made).toHaveLength(2);
    expect(refused.map((error) => error.code)).toEqual(['access_key_limit_exceeded', 'access_key_limit_exceeded']);
    expect(await portal.accessKeys.signing.resolve(first.accessKeyId)).toBeUndefined();
    expect((await portal.accessKeys.list(caller, {})).map((key) => key.accessKeyId)).toContain(
      again.accessKey.accessKeyId,
    );
  });

  it('deactivating the key or its user refuses the very next signed request', async () => {
    const { store, portal, admin, caller } = await fixture();
    const { accessKey } = await portal.accessKeys.create(caller, {});

    await portal.accessKeys.update(caller, { accessKeyId: accessKey.accessKeyId, status: 'Inactive' });
    const whileInactive = await portal.accessKeys.signing.resolve(accessKey.accessKeyId);
    await portal.accessKeys.update(caller, { accessKeyId: accessKey.accessKeyId, status: 'Active' });
    const whileActive = await portal.accessKeys.signing.resolve(accessKey.accessKeyId);
    const user = await store.get(directoryKeys.user(admin.orgId, admin.userId));
    await store.put({ ...(user as NonNullable<typeof user>), status: 'deactivated' });
    const userGone = await portal.accessKeys.signing.resolve(accessKey.accessKeyId);

    expect(whileInactive).toBeUndefined();
    expect(whileActive?.accessKey.status).toBe('Active');
    expect(userGone).toBeUndefined();
  });

  it('needs MFA when the user has it, refuses role sessions, and hides other tenants’ keys', async () => {
    const { store, portal, admin, caller } = await fixture();
    const { accessKey } = await portal.accessKeys.create(caller, {});
    const user = await store.get(directoryKeys.user(admin.orgId, admin.userId));
    await store.put({ ...(user as NonNullable<typeof user>), mfaSecret: 'JBSWY3DPEHPK3PXP' });

    const withoutMfa = portal.accessKeys.create(principalCaller({ ...admin, mfaPresent: false }), {});
    const asRole = portal.accessKeys.create(principalCaller({ ...admin, role: { roleId: 'role-x', name: 'X' } }), {});
    const otherTenant = portal.accessKeys.update(principalCaller({ ...admin, orgId: 'o-other' }), {
      accessKeyId: accessKey.accessKeyId,
      status: 'Inactive',
    });

    await expect(withoutMfa).rejects.toMatchObject({ code: 'access_key_mfa_required' });
    await expect(asRole).rejects.toMatchObject({ code: expect.stringMatching(/forbidden|implicit_deny/) });
    await expect(otherTenant).rejects.toMatchObject({ name: expect.stringMatching(/NotFound|Forbidden|Access/) });
  });

  it('refuses a replayed signature within its window, and records the last use once a minute', async () => {
    const { portal, caller, clock } = await fixture();
    const { accessKey } = await portal.accessKeys.create(caller, {});
    const until = new Date(clock.now().getTime() + 360_000);

    const first = await portal.accessKeys.signing.claimSignature('a'.repeat(64), until);
    const replay = await portal.accessKeys.signing.claimSignature('a'.repeat(64), until);
    await portal.accessKeys.signing.recordUse(accessKey, 'artifact');
    const [used] = await portal.accessKeys.list(caller, {});

    expect([first, replay]).toEqual([true, false]);
    expect(used).toMatchObject({ lastUsedAt: clock.now().toISOString(), lastUsedService: 'artifact' });
  });

  it('GetSessionToken: a TOTP code buys short-lived credentials with MFA, which die with their key', async () => {
    const { store, portal, admin, caller, clock, ledger } = await fixture();
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const user = await store.get(directoryKeys.user(admin.orgId, admin.userId));
    await store.put({ ...(user as NonNullable<typeof user>), mfaSecret: secret });
    const { accessKey } = await portal.accessKeys.create(caller, {});
    const signer = (await portal.accessKeys.signing.resolve(accessKey.accessKeyId)) as NonNullable<
      Awaited<ReturnType<typeof portal.accessKeys.signing.resolve>>
    >;
    const serialNumber = mfaDeviceArn(admin.orgId, admin.userId);
    const code = totpCode(secret, clock.now());
    const wrongDevice = portal.accessKeys.issueSessionCredentials(signer, {
      serialNumber: mfaDeviceArn(admin.orgId, 'u-other'),
      tokenCode: code,
    });
    await expect(wrongDevice).rejects.toMatchObject({ code: 'invalid_mfa_code' });
    const issued = await portal.accessKeys.issueSessionCredentials(signer, { serialNumber, tokenCode: code });
    const replayedCode = portal.accessKeys.issueSessionCredentials(signer, { serialNumber, tokenCode: code });
    const withoutMfa = await portal.accessKeys.issueSessionCredentials(signer, {});
    const live = await portal.accessKeys.resolveSessionCredentials(issued.accessKeyId, issued.sessionToken);
    const wrongToken = await portal.accessKeys.resolveSessionCredentials(issued.accessKeyId, `${issued.sessionToken}x`);
    const fromTemporary = portal.accessKeys.issueSessionCredentials(live as NonNullable<typeof live>, {});
    const stored = await store.get({ pk: `SESSIONCREDENTIALS#${issued.accessKeyId}`, sk: 'SESSIONCREDENTIALS' });
    const entries = await ledger.list(admin.orgId, {});

    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Date.parse(issued.expiration) - clock.now().getTime()).toBe(3_600_000);
    await expect(replayedCode).rejects.toMatchObject({ code: 'invalid_mfa_code' });
    expect(withoutMfa.mfaPresent).toBe(false);
    expect(live?.principal).toMatchObject({ userId: admin.userId, mfaPresent: true });
    expect(live?.secretAccessKey).toBe(issued.secretAccessKey);
    expect(wrongToken).toBeUndefined();
    await expect(fromTemporary).rejects.toMatchObject({ code: 'forbidden' });
    expect(JSON.stringify(stored)).not.toContain(issued.secretAccessKey);
    expect(JSON.stringify(stored)).not.toContain(issued.sessionToken);
    expect(entries.items.filter((entry) => entry.action === 'identity:SessionCredentialsIssued')).toHaveLength(2);

    // Deactivating the key revokes them for good, even once the key is active again; expiry ends the others.
    await portal.accessKeys.update(caller, { accessKeyId: accessKey.accessKeyId, status: 'Inactive' });
    clock.advance(1);
    await portal.accessKeys.update(caller, { accessKeyId: accessKey.accessKeyId, status: 'Active' });
    const afterDeactivation = await portal.accessKeys.resolveSessionCredentials(
      issued.accessKeyId,
      issued.sessionToken,
    );
    const fresh = await portal.accessKeys.issueSessionCredentials(
      (await portal.accessKeys.signing.resolve(accessKey.accessKeyId)) as typeof signer,
      { durationSeconds: 129_600 },
    );
    const freshLive = await portal.accessKeys.resolveSessionCredentials(fresh.accessKeyId, fresh.sessionToken);
    clock.advance(12 * 3_600_000);
    const expired = await portal.accessKeys.resolveSessionCredentials(fresh.accessKeyId, fresh.sessionToken);
    expect(afterDeactivation).toBeUndefined();
    expect(freshLive?.principal.mfaPresent).toBe(false);
    expect(expired).toBeUndefined();
  });
});
