import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { evidenceBundleArn } from '../access/resources.js';
import { systemActor } from '../organization/directory-deps.js';
import type { SigningPublicKey } from '../ports/crypto.js';
import { queryAll } from '../ports/query-all.js';
import { gatherFiles, exportJobName as jobName } from './bundle-contents.js';
import { bundleEncryptionContext, bundleFormat } from './bundle-format.js';
import { bundleFromItem, bundleItem, bundleObjectKey, type EvidenceBundle, evidenceKeys } from './bundle-records.js';
import type { EvidenceDeps } from './evidence-deps.js';
import {
  exportFailureReason,
  exportRetryDelayMs,
  interruptedExportReason,
  isTransientExportFailure,
} from './export-retry.js';
import { readBundle } from './read-bundles.js';

/** Progress is written at most this often (each write is one conditional put). */
const progressIntervalMs = 1000;

/** Counts and hashes the bytes that pass (the encrypted object's size and SHA-256). */
function measuring() {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new PassThrough({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/** The bundle as last written by this job; every write is conditional on the version it read. */
interface JobState {
  bundle: EvidenceBundle;
  progressWrite: Promise<void>;
}

async function write(deps: EvidenceDeps, state: JobState, next: EvidenceBundle): Promise<void> {
  const updated = { ...next, version: state.bundle.version + 1 };
  await deps.store.put(bundleItem(updated), { kind: 'equals', attribute: 'version', value: state.bundle.version });
  state.bundle = updated;
}

/**
 * The export job for one bundle: files stream through SHA-256 into the tar, the tar through the
 * AWS Encryption SDK (KMS data key, optionally also wrapped to the auditor's RSA key) into the
 * bundles bucket. On success one ledger entry records the bundle and marks it ready. A transient
 * failure (S3, KMS or table throttling, 5xx, network) is retried from the start with bounded,
 * jittered backoff; after the last attempt, or at once on anything else (access denied, a missing
 * resource, a bug), the object is removed and the bundle says why. Redelivered jobs of a finished
 * bundle do nothing.
 */
export async function exportBundle(
  deps: EvidenceDeps,
  job: { orgId: string; bundleId: string },
): Promise<EvidenceBundle> {
  const state: JobState = { bundle: await readBundle(deps, job.orgId, job.bundleId), progressWrite: Promise.resolve() };
  if (state.bundle.state === 'ready' || state.bundle.state === 'failed') return state.bundle;
  const key = bundleObjectKey(state.bundle.orgId, state.bundle.bundleId);
  const logger = deps.logger.child({ job: jobName, bundleId: state.bundle.bundleId });
  const { attempts } = deps.settings.exportRetry;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptExport(deps, state, key, attempt);
    } catch (error) {
      await state.progressWrite;
      // No half-written object: a failed multipart upload is aborted by the adapter; remove anything left.
      await deps.blobs.delete('bundles', key).catch(() => undefined);
      const detail = error instanceof Error ? error.message : String(error);
      if (isTransientExportFailure(error) && attempt < attempts) {
        const delayMs = exportRetryDelayMs(deps.settings.exportRetry, attempt);
        logger.log('warn', 'evidence export attempt failed; retrying', { attempt, delayMs, error: detail });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        continue;
      }
      logger.log('error', 'evidence export failed', { attempt, error: detail });
      return markFailed(deps, job, exportFailureReason(error, attempt));
    }
  }
}

async function attemptExport(deps: EvidenceDeps, state: JobState, key: string, attempt: number) {
  const started = deps.clock.now().toISOString();
  const empty = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  await write(deps, state, { ...state.bundle, state: 'running', startedAt: started, progress: empty });
  const { files, contents, ledger } = await gatherFiles(deps, state.bundle);
  const [organization, signingKey] = await Promise.all([
    deps.organizations.get(state.bundle.orgId),
    deps.signer.publicKey() as Promise<SigningPublicKey>,
  ]);
  await write(deps, state, { ...state.bundle, progress: { ...state.bundle.progress, filesTotal: files.length } });
  let lastWrite = 0;
  // Loaded by the job only: the API's cold start does not carry the archive writer (stacks/api-bundle.test.ts).
  const { writeBundleArchive } = await import('./bundle-writer.js');
  const bundle = state.bundle;
  const archive = writeBundleArchive({
    files,
    signer: deps.signer,
    signingKey,
    predicate: {
      format: bundleFormat,
      bundleId: bundle.bundleId,
      org: { id: organization.orgId, name: organization.name },
      accounts: bundle.request.accountIds,
      requester: { id: bundle.requester.userId, email: bundle.requester.email, accountId: bundle.requester.accountId },
      purpose: bundle.request.purpose,
      issuedAt: bundle.createdAt,
      expiresAt: bundle.expiresAt,
      asOf: bundle.request.asOf,
      ledger,
      recipients: [
        { kind: 'kms' },
        ...(bundle.recipientFingerprint ? [{ kind: 'rsa' as const, fingerprint: bundle.recipientFingerprint }] : []),
      ],
      contents,
    },
    onProgress: ({ filesDone, bytesDone }) => {
      const now = Date.now();
      if (now - lastWrite < progressIntervalMs) return;
      lastWrite = now;
      state.progressWrite = state.progressWrite
        .then(() =>
          write(deps, state, {
            ...state.bundle,
            progress: { ...state.bundle.progress, filesDone, bytesDone, bytesTotal: bytesDone },
          }),
        )
        .catch((error: unknown) => deps.logger.log('warn', 'progress not recorded', { error: String(error) }));
    },
  });
  const measured = measuring();
  const encrypted = deps.keyring.encryptStream(
    archive,
    { ...bundleEncryptionContext(bundle.orgId, bundle.bundleId) },
    {
      ...(bundle.request.recipientPublicKeyPem
        ? { recipientRsaPublicKeyPem: bundle.request.recipientPublicKeyPem }
        : {}),
    },
  );
  encrypted.on('error', (error) => measured.stream.destroy(error));
  try {
    await deps.blobs.put('bundles', key, encrypted.pipe(measured.stream), {
      contentType: 'application/vnd.evidence-portal.bundle',
      metadata: { bundleid: bundle.bundleId },
    });
  } catch (error) {
    // The upload gave up: stop the archive and the encryption behind it (the next attempt starts anew).
    encrypted.destroy();
    throw error;
  }
  await state.progressWrite;
  const { size, sha256 } = measured.result();
  const done = state.bundle;
  const ready: EvidenceBundle = {
    ...done,
    state: 'ready',
    finishedAt: deps.clock.now().toISOString(),
    size,
    sha256,
    progress: {
      filesDone: files.length,
      filesTotal: files.length,
      bytesDone: done.progress.bytesDone,
      bytesTotal: done.progress.bytesDone,
    },
    version: done.version + 1,
  };
  await deps.ledger.append({
    orgId: done.orgId,
    actor: systemActor(jobName),
    action: 'evidence:BundleExported',
    subject: evidenceBundleArn(done.orgId, done.requester.accountId, done.bundleId),
    accountId: done.requester.accountId,
    details: {
      bundleId: done.bundleId,
      requester: done.requester.email,
      purpose: done.request.purpose,
      files: files.length,
      size,
      sha256,
      signingKey: signingKey.fingerprint,
      recipients: done.recipientFingerprint ? ['kms', `rsa:${done.recipientFingerprint}`] : ['kms'],
      attempts: attempt,
    },
    requestToken: `evidence-export#${done.bundleId}`,
    alsoWrite: [
      {
        kind: 'put',
        item: bundleItem(ready),
        condition: { kind: 'equals', attribute: 'version', value: done.version },
      },
    ],
  });
  deps.logger.log('info', 'evidence bundle exported', { bundleId: done.bundleId, files: files.length, size, attempt });
  return ready;
}

/** The bundle failed for `reason`: one ledger entry records it with the state change. */
export async function markFailed(
  deps: EvidenceDeps,
  job: { orgId: string; bundleId: string },
  reason: string,
): Promise<EvidenceBundle> {
  const failed = await readBundle(deps, job.orgId, job.bundleId);
  if (failed.state === 'ready' || failed.state === 'failed') return failed;
  const update = {
    ...failed,
    state: 'failed' as const,
    failure: reason,
    finishedAt: deps.clock.now().toISOString(),
    version: failed.version + 1,
  };
  await deps.ledger.append({
    orgId: failed.orgId,
    actor: systemActor(jobName),
    action: 'evidence:ExportFailed',
    subject: evidenceBundleArn(failed.orgId, failed.requester.accountId, failed.bundleId),
    accountId: failed.requester.accountId,
    details: { bundleId: failed.bundleId, reason },
    requestToken: `evidence-export-failed#${failed.bundleId}`,
    alsoWrite: [
      {
        kind: 'put',
        item: bundleItem(update),
        condition: { kind: 'equals', attribute: 'version', value: failed.version },
      },
    ],
  });
  return update;
}

/**
 * Runtimes without a durable queue (`npm start`): after a restart, every bundle still `queued` is
 * handed back to `resume`, and every one left `running` (its build was cut off with the process) is
 * marked failed with a reason, so the requester sees why and asks again.
 */
export async function recoverExports(
  deps: EvidenceDeps,
  organizations: AsyncIterable<string>,
  resume: (job: { orgId: string; bundleId: string }) => Promise<void>,
): Promise<{ resumed: number; interrupted: number }> {
  let resumed = 0;
  let interrupted = 0;
  for await (const orgId of organizations) {
    const items = await queryAll(deps.store, evidenceKeys.partition(orgId), { skPrefix: evidenceKeys.bundlePrefix });
    for (const bundle of items.map(bundleFromItem)) {
      if (bundle.state === 'queued') {
        await resume({ orgId, bundleId: bundle.bundleId });
        resumed++;
      } else if (bundle.state === 'running') {
        await markFailed(deps, { orgId, bundleId: bundle.bundleId }, interruptedExportReason);
        interrupted++;
      }
    }
  }
  return { resumed, interrupted };
}
