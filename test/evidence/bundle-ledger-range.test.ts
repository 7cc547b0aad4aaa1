import { createHash, generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { buildJobs } from '@evidence-portal/api';
import { verifyBundleFile } from '@evidence-portal/cli';
import { bundleObjectKey, trustedKey } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { byTier, tier } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('a bundle proving a long ledger range (past the old 100-entry limit)', () => {
  it('streams every entry of the range with its inclusion proof against the signed checkpoint; the auditor verifies them all', async () => {
    // prepare: a ledger of a few hundred entries (a few thousand in the soak tier), checkpointed
    const entries = byTier(200, 3000);
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
    const boot = await deps.bootstrap({ orgName: 'Long Ledger Corp', adminEmail: 'admin@long.example' });
    const orgId = boot.organization.orgId;
    const client = asPrincipal(
      app,
      testPrincipal({ orgId, accountId: boot.organization.managementAccountId, userId: boot.adminUserId }),
    );
    // Concurrent appends share transactions (group commit), as busy portals do.
    for (let done = 0; done < entries; done += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, entries - done) }, (_, i) =>
          deps.ledger.append({
            orgId,
            actor: { type: 'user', id: 'u-busy', email: 'busy@long.example' },
            action: 'report:Downloaded',
            subject: `arn:portal:${orgId}:111111111111:download/dl-${done + i}`,
            details: { copy: done + i },
          }),
        ),
      );
    }
    const checkpoint = (await (await client.request('/api/ledger/checkpoints', { method: 'POST' })).json()) as {
      size: number;
    };
    const auditor = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const range = { fromSeq: 2, toSeq: checkpoint.size };
    const proven = range.toSeq - range.fromSeq + 1;

    // act: export the range, then verify the stored bundle as the auditor would
    const requested = await client.request(
      '/api/evidence-bundles',
      post({
        purpose: 'ledger range',
        ledger: range,
        recipientPublicKeyPem: auditor.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      }),
    );
    const { bundleId } = (await requested.json()) as { bundleId: string };
    const started = performance.now();
    await buildJobs(deps).runQueuedExports();
    const exportMs = performance.now() - started;
    const bundle = (await (await client.request(`/api/evidence-bundles/${bundleId}`)).json()) as {
      state: string;
      size: number;
      progress: { filesTotal: number };
    };
    const bytes = await buffer((await deps.blobs.get('bundles', bundleObjectKey(orgId, bundleId))).body);
    const keys = (await deps.signer.verificationKeys()).map((key) => trustedKey(key.pem));
    const verdict = await verifyBundleFile(
      { stream: Readable.from([bytes]), head: bytes.subarray(0, 3) },
      { keys, decryptKeyPem: auditor.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() },
    );
    // One proof of the bundle against the route's own proof document for the same entry.
    const sample = Math.floor((range.fromSeq + range.toSeq) / 2);
    const fromRoute = await (
      await client.request(`/api/ledger/proofs/inclusion?seq=${sample}&size=${checkpoint.size}`)
    ).json();
    const inBundle = verdict.files.find(
      (file) => file.path === `files/ledger/proofs/${String(sample).padStart(12, '0')}.json`,
    );
    console.info(
      `ledger range bundle (${tier()} tier): ${proven} entries of a ${checkpoint.size}-entry ledger, ` +
        `${bytes.length} bytes, exported in ${Math.round(exportMs)} ms (on a loaded machine; not a benchmark)`,
    );

    expect(requested.status).toBe(202);
    expect(bundle.state).toBe('ready');
    expect(bundle.progress.filesTotal).toBe(proven + 1);
    expect(verdict.valid).toBe(true);
    expect(verdict.checks.find((check) => check.check === 'inclusion-proofs')?.detail).toBe(
      `${proven} ledger entries proven in the checkpoint`,
    );
    expect(verdict.statement?.predicate.ledger).toMatchObject({ ...range, checkpoint: { size: checkpoint.size } });
    expect(inBundle?.sha256).toBe(
      createHash('sha256')
        .update(`${JSON.stringify(fromRoute, null, 2)}\n`)
        .digest('hex'),
    );
  });
});
