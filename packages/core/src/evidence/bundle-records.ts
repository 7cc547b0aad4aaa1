import type { ItemKey } from '../ports/store.js';

/** Single-table layout of evidence bundles: the org in the partition, so another org's id simply misses (404). */
export const evidenceKeys = {
  partition: (orgId: string) => `EVIDENCE#${orgId}`,
  bundle: (orgId: string, bundleId: string): ItemKey => ({ pk: `EVIDENCE#${orgId}`, sk: `BUNDLE#${bundleId}` }),
  bundlePrefix: 'BUNDLE#',
  /** One principal's exports in one rate-limit window. */
  rate: (orgId: string, userId: string, window: number): ItemKey => ({
    pk: `EVIDENCE#${orgId}`,
    sk: `RATE#${userId}#${window}`,
  }),
};

/** The object key of a finished bundle in the `bundles` bucket. */
export const bundleObjectKey = (orgId: string, bundleId: string) => `bundles/${orgId}/${bundleId}.evb`;

export type BundleState = 'queued' | 'running' | 'ready' | 'failed';

/** What the requester asked for (the validated input, kept so the job builds exactly that). */
export interface BundleRequest {
  purpose: string;
  accountIds: string[];
  asOf: string;
  agreementIds: string[];
  reports: Array<{ reportId: string; version: number }>;
  ledger?: { fromSeq: number; toSeq: number };
  recipientPublicKeyPem?: string;
  validityDays: number;
}

export interface EvidenceBundle {
  bundleId: string;
  orgId: string;
  state: BundleState;
  requester: { userId: string; email: string; displayName: string; accountId: string };
  request: BundleRequest;
  /** SHA-256 fingerprint of the auditor's RSA key (SPKI DER), when the bundle is also encrypted to it. */
  recipientFingerprint?: string;
  progress: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  expiresAt: string;
  /** Size and SHA-256 of the encrypted object, once ready. */
  size?: number;
  sha256?: string;
  /** Why it failed (for the requester; never a stack trace). */
  failure?: string;
  /** Optimistic version of the item (progress updates and state changes are conditional on it). */
  version: number;
}

export function bundleItem(bundle: EvidenceBundle) {
  return {
    ...evidenceKeys.bundle(bundle.orgId, bundle.bundleId),
    type: 'EvidenceBundle',
    data: JSON.stringify(bundle),
    version: bundle.version,
  };
}

export function bundleFromItem(item: Record<string, unknown>): EvidenceBundle {
  return JSON.parse(String(item.data)) as EvidenceBundle;
}
