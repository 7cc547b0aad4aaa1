import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { systemCaller } from '../access/caller.js';
import { evidenceBundleArn } from '../access/resources.js';
import { DomainError } from '../errors.js';
import { systemActor } from '../organization/directory-deps.js';
import type { SigningPublicKey } from '../ports/crypto.js';
import {
  type BundleContentEntry,
  type BundlePredicate,
  bundleEncryptionContext,
  bundleFormat,
} from './bundle-format.js';
import { bundleItem, bundleObjectKey, type EvidenceBundle } from './bundle-records.js';
import type { BundleFileSource } from './bundle-writer.js';
import type { EvidenceDeps } from './evidence-deps.js';
import { readBundle } from './read-bundles.js';

const jobName = 'evidence-export';
/** Progress is written at most this often (each write is one conditional put). */
const progressIntervalMs = 1000;

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
const fileOf = (path: string, bytes: Buffer): BundleFileSource => ({
  path,
  open: () => ({ size: bytes.length, body: Readable.from([bytes]) }),
});
const safeName = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'x';

/** Every file of the bundle, in archive order; reports are watermarked only when their turn comes. */
async function gatherFiles(
  deps: EvidenceDeps,
  bundle: EvidenceBundle,
): Promise<{ files: BundleFileSource[]; contents: BundleContentEntry[]; ledger: BundlePredicate['ledger'] }> {
  const { orgId, request, requester } = bundle;
  const caller = systemCaller(orgId, jobName);
  const files: BundleFileSource[] = [];
  const contents: BundleContentEntry[] = [];
  const actor = { orgId, userId: requester.userId, email: requester.email, accountId: requester.accountId };

  for (const { reportId, version } of request.reports) {
    const path = `files/reports/${safeName(reportId)}-v${version}.pdf`;
    contents.push({ path, kind: 'report', ref: `${reportId} v${version}` });
    files.push({
      path,
      open: async () => {
        // The requester's standing acceptance issues the token (none: the request was refused), and the
        // copy is a download like any other: its own record, id and ledger entry, watermarked for them.
        const { version: stored } = await deps.reports.version(reportId, version, orgId);
        const { termToken } = await deps.reports.acceptTerms(actor, reportId, version, {
          revisionId: stored.termsRevisionId,
        });
        const { record, copy } = await deps.reports.download(
          { ...actor, displayName: requester.displayName },
          reportId,
          version,
          termToken,
        );
        const entry = contents.find((content) => content.path === path);
        if (entry) entry.ref = `${reportId} v${version} download ${record.downloadId}`;
        return { size: copy.size, body: copy.body };
      },
    });
  }

  if (request.agreementIds.length > 0) {
    const statements = [];
    for (const agreementId of request.agreementIds) {
      for (const accountId of request.accountIds) {
        statements.push(await deps.agreements.coverage(caller, { accountId, agreementId, at: request.asOf }));
      }
    }
    contents.push({ path: 'files/agreements/coverage.json', kind: 'coverage', ref: `as of ${request.asOf}` });
    files.push(fileOf('files/agreements/coverage.json', json({ asOf: request.asOf, statements })));
    for (const agreementId of request.agreementIds) {
      const path = `files/agreements/${safeName(agreementId)}-acceptances.json`;
      const acceptances = await deps.agreements.history(caller, { agreementId });
      contents.push({ path, kind: 'agreement-acceptances', ref: agreementId });
      files.push(fileOf(path, json({ agreementId, acceptances })));
    }
  }

  let ledger: BundlePredicate['ledger'] = null;
  if (request.ledger) {
    const checkpoint = await deps.ledger.latestCheckpoint(orgId);
    if (!checkpoint || checkpoint.size < request.ledger.toSeq) {
      throw new Error(`no signed checkpoint covers ledger entry ${request.ledger.toSeq}`);
    }
    contents.push({ path: 'files/ledger/checkpoint.json', kind: 'ledger-checkpoint' });
    files.push(fileOf('files/ledger/checkpoint.json', json(checkpoint)));
    for (let seq = request.ledger.fromSeq; seq <= request.ledger.toSeq; seq++) {
      const path = `files/ledger/proofs/${String(seq).padStart(12, '0')}.json`;
      const document = await deps.ledger.inclusionProofDocument(orgId, seq, checkpoint.size);
      contents.push({ path, kind: 'ledger-inclusion-proof', ref: `seq ${seq}` });
      files.push(fileOf(path, json(document)));
    }
    ledger = { checkpoint, ...request.ledger };
  }
  return { files, contents, ledger };
}

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

/**
 * The export job for one bundle: files stream through SHA-256 into the tar, the tar through the
 * AWS Encryption SDK (KMS data key, optionally also wrapped to the auditor's RSA key) into the
 * bundles bucket. On success one ledger entry records the bundle and marks it ready; on failure the
 * object is removed and the bundle says why. Redelivered jobs of a finished bundle do nothing.
 */
export async function exportBundle(
  deps: EvidenceDeps,
  job: { orgId: string; bundleId: string },
): Promise<EvidenceBundle> {
  let bundle = await readBundle(deps, job.orgId, job.bundleId);
  if (bundle.state === 'ready' || bundle.state === 'failed') return bundle;
  const write = async (next: EvidenceBundle) => {
    const updated = { ...next, version: bundle.version + 1 };
    await deps.store.put(bundleItem(updated), { kind: 'equals', attribute: 'version', value: bundle.version });
    bundle = updated;
  };
  await write({ ...bundle, state: 'running', startedAt: deps.clock.now().toISOString() });
  const key = bundleObjectKey(bundle.orgId, bundle.bundleId);
  const logger = deps.logger.child({ job: jobName, bundleId: bundle.bundleId });
  let progressWrite: Promise<void> = Promise.resolve();
  try {
    const { files, contents, ledger } = await gatherFiles(deps, bundle);
    const [organization, signingKey] = await Promise.all([
      deps.organizations.get(bundle.orgId),
      deps.signer.publicKey() as Promise<SigningPublicKey>,
    ]);
    await write({ ...bundle, progress: { ...bundle.progress, filesTotal: files.length } });
    let lastWrite = 0;
    // Loaded by the job only: the API's cold start does not carry the archive writer (stacks/api-bundle.test.ts).
    const { writeBundleArchive } = await import('./bundle-writer.js');
    const archive = writeBundleArchive({
      files,
      signer: deps.signer,
      signingKey,
      predicate: {
        format: bundleFormat,
        bundleId: bundle.bundleId,
        org: { id: organization.orgId, name: organization.name },
        accounts: bundle.request.accountIds,
        requester: {
          id: bundle.requester.userId,
          email: bundle.requester.email,
          accountId: bundle.requester.accountId,
        },
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
        progressWrite = progressWrite
          .then(() =>
            write({ ...bundle, progress: { ...bundle.progress, filesDone, bytesDone, bytesTotal: bytesDone } }),
          )
          .catch((error: unknown) => logger.log('warn', 'progress not recorded', { error: String(error) }));
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
    await deps.blobs.put('bundles', key, encrypted.pipe(measured.stream), {
      contentType: 'application/vnd.evidence-portal.bundle',
      metadata: { bundleid: bundle.bundleId },
    });
    await progressWrite;
    const { size, sha256 } = measured.result();
    const finishedAt = deps.clock.now().toISOString();
    const ready: EvidenceBundle = {
      ...bundle,
      state: 'ready',
      finishedAt,
      size,
      sha256,
      progress: {
        filesDone: files.length,
        filesTotal: files.length,
        bytesDone: bundle.progress.bytesDone,
        bytesTotal: bundle.progress.bytesDone,
      },
      version: bundle.version + 1,
    };
    await deps.ledger.append({
      orgId: bundle.orgId,
      actor: systemActor(jobName),
      action: 'evidence:BundleExported',
      subject: evidenceBundleArn(bundle.orgId, bundle.requester.accountId, bundle.bundleId),
      accountId: bundle.requester.accountId,
      details: {
        bundleId: bundle.bundleId,
        requester: bundle.requester.email,
        purpose: bundle.request.purpose,
        files: files.length,
        size,
        sha256,
        signingKey: signingKey.fingerprint,
        recipients: bundle.recipientFingerprint ? ['kms', `rsa:${bundle.recipientFingerprint}`] : ['kms'],
      },
      requestToken: `evidence-export#${bundle.bundleId}`,
      alsoWrite: [
        {
          kind: 'put',
          item: bundleItem(ready),
          condition: { kind: 'equals', attribute: 'version', value: bundle.version },
        },
      ],
    });
    logger.log('info', 'evidence bundle exported', { files: files.length, size });
    return ready;
  } catch (error) {
    await progressWrite;
    // No half-written object: a failed multipart upload is aborted by the adapter; remove anything left.
    await deps.blobs.delete('bundles', key).catch(() => undefined);
    const reason =
      error instanceof DomainError ? error.message : 'The export failed inside the portal; request it again.';
    logger.log('error', 'evidence export failed', { error: error instanceof Error ? error.message : String(error) });
    const failed = await readBundle(deps, bundle.orgId, bundle.bundleId);
    const update = {
      ...failed,
      state: 'failed' as const,
      failure: reason,
      finishedAt: deps.clock.now().toISOString(),
      version: failed.version + 1,
    };
    await deps.ledger.append({
      orgId: bundle.orgId,
      actor: systemActor(jobName),
      action: 'evidence:ExportFailed',
      subject: evidenceBundleArn(bundle.orgId, bundle.requester.accountId, bundle.bundleId),
      accountId: bundle.requester.accountId,
      details: { bundleId: bundle.bundleId, reason },
      requestToken: `evidence-export-failed#${bundle.bundleId}`,
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
}
