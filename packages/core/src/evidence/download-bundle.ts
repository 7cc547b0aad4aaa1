import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { evidenceBundleArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import type { StoredBlob } from '../ports/blob-store.js';
import { bundleObjectKey, type EvidenceBundle } from './bundle-records.js';
import type { EvidenceDeps } from './evidence-deps.js';
import { evidenceErrors } from './evidence-errors.js';
import { type BundleIdInput, getBundle, ownAccount } from './read-bundles.js';

export interface BundleDownload {
  bundle: EvidenceBundle;
  filename: string;
  /** The encrypted object, streamed (local stages). */
  open(): Promise<StoredBlob>;
  /** A short-lived URL to it (AWS stages: the bytes never pass through the function). */
  presign(): Promise<string>;
}

/** A ready bundle's encrypted object (`portal:DownloadEvidenceBundle`); not ready yet: 409. */
export async function downloadBundle(
  deps: EvidenceDeps,
  caller: Caller,
  input: BundleIdInput,
): Promise<BundleDownload> {
  let bundle: EvidenceBundle;
  try {
    bundle = await getBundle(deps, caller, input);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // As getBundle does: the download's own action is asked before a 404, so a Deny on it answers 403.
    await requireAllowed(
      deps.authorizer,
      caller,
      'portal:DownloadEvidenceBundle',
      evidenceBundleArn(orgOf(caller), ownAccount(caller), String(input.bundleId)),
    );
    throw error;
  }
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:DownloadEvidenceBundle',
    evidenceBundleArn(bundle.orgId, bundle.requester.accountId, bundle.bundleId),
  );
  if (bundle.state !== 'ready') {
    throw evidenceErrors.error(
      'bundle_not_ready',
      bundle.state === 'failed'
        ? `The bundle failed: ${bundle.failure ?? 'unknown reason'}`
        : `The bundle is ${bundle.state}; poll GET /api/evidence-bundles/${bundle.bundleId}.`,
    );
  }
  const key = bundleObjectKey(bundle.orgId, bundle.bundleId);
  const filename = `${bundle.bundleId}.evb`;
  return {
    bundle,
    filename,
    open: () => deps.blobs.get('bundles', key),
    presign: () =>
      deps.blobs.presignGet('bundles', key, {
        expiresInSeconds: deps.settings.downloadUrlTtlSeconds,
        downloadFilename: filename,
      }),
  };
}
