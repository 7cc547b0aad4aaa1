import type { EvidenceBundle } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

export const EvidenceBundleSchema = z
  .object({
    bundleId: z.string(),
    state: z.enum(['queued', 'running', 'ready', 'failed']),
    purpose: z.string(),
    requester: z.object({ email: z.string(), displayName: z.string(), accountId: z.string() }),
    accounts: z.array(z.string()),
    reports: z.array(z.object({ reportId: z.string(), version: z.number() })),
    agreements: z.array(z.string()),
    asOf: z.string(),
    ledger: z.object({ fromSeq: z.number(), toSeq: z.number() }).optional(),
    recipients: z.array(z.string()).openapi({ description: '`kms`, and `rsa:<SPKI SHA-256>` of the auditor key' }),
    progress: z.object({
      filesDone: z.number(),
      filesTotal: z.number(),
      bytesDone: z.number(),
      percent: z.number().openapi({ description: '0-100; 100 once ready' }),
    }),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    expiresAt: z.string(),
    size: z.number().optional().openapi({ description: 'Bytes of the encrypted bundle, once ready' }),
    sha256: z.string().optional().openapi({ description: 'SHA-256 of the encrypted bundle file, once ready' }),
    failure: z.string().optional().openapi({ description: 'Why the export failed' }),
  })
  .openapi('EvidenceBundle');

function percentOf(bundle: EvidenceBundle): number {
  if (bundle.state === 'ready') return 100;
  const { filesDone, filesTotal } = bundle.progress;
  return filesTotal > 0 ? Math.min(99, Math.floor((filesDone / filesTotal) * 100)) : 0;
}

/** Every field answered is listed here; the auditor's key itself is never echoed back. */
export function presentBundle(bundle: EvidenceBundle): z.infer<typeof EvidenceBundleSchema> {
  const { request } = bundle;
  return {
    bundleId: bundle.bundleId,
    state: bundle.state,
    purpose: request.purpose,
    requester: {
      email: bundle.requester.email,
      displayName: bundle.requester.displayName,
      accountId: bundle.requester.accountId,
    },
    accounts: request.accountIds,
    reports: request.reports.map((r) => ({ reportId: r.reportId, version: r.version })),
    agreements: request.agreementIds,
    asOf: request.asOf,
    ...(request.ledger ? { ledger: { fromSeq: request.ledger.fromSeq, toSeq: request.ledger.toSeq } } : {}),
    recipients: bundle.recipientFingerprint ? ['kms', `rsa:${bundle.recipientFingerprint}`] : ['kms'],
    progress: {
      filesDone: bundle.progress.filesDone,
      filesTotal: bundle.progress.filesTotal,
      bytesDone: bundle.progress.bytesDone,
      percent: percentOf(bundle),
    },
    createdAt: bundle.createdAt,
    ...(bundle.startedAt ? { startedAt: bundle.startedAt } : {}),
    ...(bundle.finishedAt ? { finishedAt: bundle.finishedAt } : {}),
    expiresAt: bundle.expiresAt,
    ...(bundle.size !== undefined ? { size: bundle.size } : {}),
    ...(bundle.sha256 ? { sha256: bundle.sha256 } : {}),
    ...(bundle.failure ? { failure: bundle.failure } : {}),
  };
}
