import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJobs } from '@evidence-portal/api';
import { createAwsClients, KmsEnvelopeKeyring, KmsSigner, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import { runCli } from '@evidence-portal/cli';
import { type BlobStore, DependencyUnavailableError, type Keyring, type Signer } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { publishReport } from '../reports/report-fixtures.js';
import { createTestApp } from '../support/app.js';
import { localStack } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Clients of the loopback stack, and the portal's KMS signer and keyring built on them as the composition does. */
function localClients() {
  const info = localStack();
  return createAwsClients({
    region: info.region,
    kmsEndpoint: info.kmsEndpoint,
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
}
function localKeys() {
  const info = localStack();
  return {
    signer: new KmsSigner(localClients().kms, info.signingKeyArn),
    keyring: new KmsEnvelopeKeyring({
      keyArn: info.dataKeyArn,
      kmsClientConfig: { region: info.region, endpoint: info.kmsEndpoint, credentials: localCredentials },
    }),
  };
}

/** Counts key operations, to show a refused request spends none. */
function counting<T extends object>(target: T, counter: { calls: number }): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property !== 'ping' && property !== 'publicKey' && property !== 'verificationKeys') counter.calls++;
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

describe('evidence bundles through the API and the export job (local stack)', () => {
  it('exports a report copy and ledger proofs to an auditor key; the download verifies with the portal key; limits hold', async () => {
    // prepare: an organization, a report whose terms its admin accepted, a signed checkpoint
    const kms = { calls: 0 };
    const { signer, keyring } = localKeys();
    const { app, deps } = await createTestApp({
      overrides: {
        authorizer: allowAllAuthorizer,
        signer: counting(signer, kms) as Signer,
        keyring: counting(keyring, kms) as Keyring,
        evidenceSettings: { exportsPerWindow: 2 },
      },
    });
    const jobs = buildJobs(deps);
    const boot = await deps.bootstrap({ orgName: 'Audit Corp', adminEmail: 'admin@audit.example' });
    const principal = testPrincipal({
      orgId: boot.organization.orgId,
      accountId: boot.organization.managementAccountId,
      userId: boot.adminUserId,
      email: boot.adminEmail,
      displayName: 'Audit Admin',
    });
    const client = asPrincipal(app, principal);
    const published = await publishReport(deps);
    const versionPath = `/api/reports/${published.report.id}/versions/${published.version.version}`;
    expect(
      (await client.request(`${versionPath}/terms/acceptances`, post({ revisionId: published.terms.revisionId })))
        .status,
    ).toBe(201);
    const checkpoint = (await (await client.request('/api/ledger/checkpoints', { method: 'POST' })).json()) as {
      size: number;
    };
    const auditor = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const request = {
      purpose: 'FY2026 SOC 2 audit',
      reports: [{ reportId: published.report.id, version: published.version.version }],
      ledger: { fromSeq: 1, toSeq: Math.min(3, checkpoint.size) },
      recipientPublicKeyPem: auditor.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
    const callsBefore = kms.calls;

    // act: request (202, queued), download too early (409), run the job, read progress, download
    const requested = await client.request('/api/evidence-bundles', post(request));
    const queued = (await requested.json()) as { bundleId: string; state: string; recipients: string[] };
    const early = await client.request(`/api/evidence-bundles/${queued.bundleId}/download`);
    const callsAtRequest = kms.calls;
    await jobs.runQueuedExports();
    const ready = (await (await client.request(`/api/evidence-bundles/${queued.bundleId}`)).json()) as {
      state: string;
      progress: { percent: number; filesDone: number; filesTotal: number };
      size: number;
    };
    const download = await client.request(`/api/evidence-bundles/${queued.bundleId}/download`);
    const bytes = Buffer.from(await download.arrayBuffer());
    const keys = await (await app.request('/api/keys/signing')).text();
    const list = (await (await client.request('/api/evidence-bundles')).json()) as {
      items: Array<{ bundleId: string }>;
    };

    // assert: the request and the job
    expect(requested.status).toBe(202);
    expect(requested.headers.get('location')).toBe(`/api/evidence-bundles/${queued.bundleId}`);
    expect(queued.state).toBe('queued');
    expect(queued.recipients).toEqual(['kms', expect.stringMatching(/^rsa:[0-9a-f]{64}$/)]);
    expect(callsAtRequest).toBe(callsBefore);
    expect(early.status).toBe(409);
    expect(ready).toMatchObject({ state: 'ready', progress: { percent: 100, filesDone: 5, filesTotal: 5 } });
    expect(download.status).toBe(200);
    expect(bytes.length).toBe(ready.size);
    expect(list.items.map((item) => item.bundleId)).toContain(queued.bundleId);

    // assert: the auditor verifies it offline with the published key and their RSA key
    const dir = mkdtempSync(join(tmpdir(), 'evidence-api-'));
    writeFileSync(join(dir, 'bundle.evb'), bytes);
    writeFileSync(join(dir, 'keys.json'), keys);
    writeFileSync(join(dir, 'auditor.pem'), auditor.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    let out = '';
    const code = await runCli(
      [
        'verify',
        join(dir, 'bundle.evb'),
        '--public-key',
        join(dir, 'keys.json'),
        '--decrypt-key',
        join(dir, 'auditor.pem'),
        '--json',
      ],
      { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {} },
    );
    const verdict = JSON.parse(out) as {
      valid: boolean;
      origin: string;
      predicate: { contents: Array<{ kind: string; ref?: string }> };
    };
    expect(code).toBe(0);
    expect(verdict).toMatchObject({ valid: true, origin: 'trusted-key' });
    expect(verdict.predicate.contents.find((c) => c.kind === 'report')?.ref).toMatch(/download dl-/);

    // assert: every export is in the ledger
    const entries = (await (await client.request('/api/ledger?limit=50')).json()) as {
      items: Array<{ action: string }>;
    };
    const actions = entries.items.map((entry) => entry.action);
    expect(actions).toContain('evidence:ExportRequested');
    expect(actions).toContain('evidence:BundleExported');
    expect(actions).toContain('report:Downloaded');

    // assert: the rate limit answers 429 with Retry-After before any key operation
    // The second a ledger range only (no watermarked copy to make): the limit counts requests, not their size.
    const second = await client.request('/api/evidence-bundles', post({ purpose: 'second', ledger: request.ledger }));
    const callsBeforeThird = kms.calls;
    const third = await client.request('/api/evidence-bundles', post({ ...request, ledger: undefined }));
    await jobs.runQueuedExports();
    expect(second.status).toBe(202);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { code: string }).code).toBe('export_rate_limited');
    expect(kms.calls).toBeGreaterThan(callsBeforeThird); // the second one's job ran; the third never queued
    const states = (await (await client.request('/api/evidence-bundles')).json()) as { items: unknown[] };
    expect(states.items).toHaveLength(2);

    // assert: another organization's bundle id answers exactly like a missing one
    const other = asPrincipal(app, testPrincipal({ orgId: 'o-elsewhere', userId: 'u-elsewhere' }));
    const foreign = await other.request(`/api/evidence-bundles/${queued.bundleId}`);
    const missing = await other.request('/api/evidence-bundles/eb-0000000000000000000000000');
    const foreignBody = (await foreign.json()) as Record<string, unknown>;
    const missingBody = (await missing.json()) as Record<string, unknown>;
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...foreignBody, detail: undefined }).toEqual({ ...missingBody, detail: undefined });
  });

  it('refuses a weak recipient key, an empty bundle and an unsigned ledger range with clear problems', async () => {
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
    const boot = await deps.bootstrap({ orgName: 'Edge Corp', adminEmail: 'admin@edge.example' });
    const client = asPrincipal(
      app,
      testPrincipal({
        orgId: boot.organization.orgId,
        accountId: boot.organization.managementAccountId,
        userId: boot.adminUserId,
      }),
    );
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' });

    const weakKey = await client.request(
      '/api/evidence-bundles',
      post({ purpose: 'x', ledger: { fromSeq: 1, toSeq: 1 }, recipientPublicKeyPem: weak }),
    );
    const empty = await client.request('/api/evidence-bundles', post({ purpose: 'x' }));
    const unsigned = await client.request(
      '/api/evidence-bundles',
      post({ purpose: 'x', ledger: { fromSeq: 1, toSeq: 1 } }),
    );

    expect(weakKey.status).toBe(400);
    expect(JSON.stringify(await weakKey.json())).toContain('body.recipientPublicKeyPem');
    expect(empty.status).toBe(400);
    expect(unsigned.status).toBe(409);
    expect(((await unsigned.json()) as { code: string }).code).toBe('ledger_range_unsigned');
  });
  it('a failed export says why, leaves no object behind, and is in the ledger', async () => {
    // The bundles bucket fails after reading part of the bundle (an S3 outage mid-upload), on every attempt.
    let real: BlobStore | undefined;
    const failingBlobs = new Proxy({} as BlobStore, {
      get: (_, operation: keyof BlobStore) => {
        if (operation !== 'put')
          return (...args: unknown[]) => (real![operation] as (...a: unknown[]) => unknown)(...args);
        return async (bucket: Parameters<BlobStore['put']>[0], key: string, body: unknown, meta: unknown) => {
          if (bucket !== 'bundles') return real!.put(bucket, key, body as Buffer, meta as never);
          for await (const _ of body as AsyncIterable<Buffer>) break;
          throw new DependencyUnavailableError('s3', 'S3 is unavailable');
        };
      },
    });
    const { app, deps, config } = await createTestApp({
      overrides: {
        authorizer: allowAllAuthorizer,
        blobs: failingBlobs,
        evidenceSettings: { exportRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
      },
    });
    real = new S3BlobStore(localClients().s3, config.buckets);
    const boot = await deps.bootstrap({ orgName: 'Outage Corp', adminEmail: 'admin@outage.example' });
    const client = asPrincipal(
      app,
      testPrincipal({
        orgId: boot.organization.orgId,
        accountId: boot.organization.managementAccountId,
        userId: boot.adminUserId,
      }),
    );
    await client.request('/api/ledger/checkpoints', { method: 'POST' });

    const queued = (await (
      await client.request('/api/evidence-bundles', post({ purpose: 'outage', ledger: { fromSeq: 1, toSeq: 1 } }))
    ).json()) as { bundleId: string };
    await buildJobs(deps).runQueuedExports();
    const failed = (await (await client.request(`/api/evidence-bundles/${queued.bundleId}`)).json()) as {
      state: string;
      failure: string;
    };
    const download = await client.request(`/api/evidence-bundles/${queued.bundleId}/download`);
    const entries = (await (await client.request('/api/ledger?action=evidence:ExportFailed')).json()) as {
      items: unknown[];
    };

    expect(failed).toMatchObject({ state: 'failed', failure: expect.stringContaining('unavailable') });
    expect(failed.failure).toContain('tried 2 times');
    expect(download.status).toBe(409);
    expect(
      await deps.blobs.head('bundles', `bundles/${boot.organization.orgId}/${queued.bundleId}.evb`),
    ).toBeUndefined();
    expect(entries.items).toHaveLength(1);
  });
});
