import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { evidenceBundleArn } from '../access/resources.js';
import { accountIdField, agreementIdField, instantField } from '../agreements/agreement-inputs.js';
import { ConditionFailedError, NotFoundError, RateLimitedError, ValidationError } from '../errors.js';
import { parseInput } from '../input.js';
import { sha256Hex } from '../sha256.js';
import { minimumAuditorRsaBits } from './bundle-format.js';
import { type BundleRequest, bundleItem, type EvidenceBundle, evidenceKeys } from './bundle-records.js';
import type { EvidenceDeps } from './evidence-deps.js';
import { evidenceErrors } from './evidence-errors.js';

/** POST /api/evidence-bundles: what goes in the bundle, for what, and to whom. */
export const requestExportInput = z
  .object({
    purpose: z.string().trim().min(1).max(200).meta({ description: 'Audit name or purpose, shown to the auditor' }),
    reports: z
      .array(z.object({ reportId: z.string().min(1).max(128), version: z.number().int().min(1) }))
      .max(10)
      .default([])
      .meta({ description: 'Report versions: each a copy watermarked for the requester (a download record)' }),
    accountIds: z.array(accountIdField).max(20).default([]).meta({ description: 'Accounts the coverage covers' }),
    agreementIds: z
      .array(agreementIdField)
      .max(10)
      .default([])
      .meta({ description: 'Agreements whose acceptances and coverage of the accounts are included' }),
    asOf: instantField.optional().meta({ description: 'Instant coverage is evaluated at (default: now)' }),
    ledger: z
      .object({ fromSeq: z.number().int().min(1), toSeq: z.number().int().min(1) })
      .refine((range) => range.toSeq >= range.fromSeq, { message: 'toSeq must be >= fromSeq', path: ['toSeq'] })
      .optional()
      .meta({ description: 'Ledger entries to prove against the newest signed checkpoint' }),
    recipientPublicKeyPem: z.string().max(16_384).optional().meta({
      description: "The auditor's RSA public key (PEM, >= 2048 bits): they decrypt offline with its private key",
    }),
    validityDays: z.number().int().min(1).max(366).default(90),
  })
  .refine((input) => input.reports.length + input.agreementIds.length > 0 || input.ledger !== undefined, {
    message: 'choose at least one report, agreement or ledger range',
    path: ['reports'],
  })
  .refine((input) => input.agreementIds.length === 0 || input.accountIds.length > 0, {
    message: 'name the accounts whose coverage to include',
    path: ['accountIds'],
  });

export type RequestExportInput = z.input<typeof requestExportInput>;

function recipientFingerprint(pem: string): string {
  try {
    const key = createPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < minimumAuditorRsaBits) throw new Error('weak');
    return sha256Hex(key.export({ format: 'der', type: 'spki' }));
  } catch {
    throw new ValidationError('The recipient key must be an RSA public key (PEM) of at least 2048 bits', [
      { path: 'recipientPublicKeyPem', message: `must be an RSA public key (PEM) of >= ${minimumAuditorRsaBits} bits` },
    ]);
  }
}

/**
 * Counts this export against the principal's window (a conditional write per attempt, so concurrent
 * requests cannot both take the last slot); past the limit, 429 with the seconds to the next window.
 * Runs before anything is read or written for the bundle, so no key operation is spent past the limit.
 */
async function takeRateSlot(deps: EvidenceDeps, orgId: string, userId: string): Promise<void> {
  const { exportsPerWindow, windowSeconds } = deps.settings;
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const window = Math.floor(nowSeconds / windowSeconds);
  const key = evidenceKeys.rate(orgId, userId, window);
  for (let attempt = 0; attempt < 8; attempt++) {
    const item = await deps.store.get(key, { consistent: true });
    const count = typeof item?.count === 'number' ? item.count : 0;
    if (count >= exportsPerWindow) {
      throw new RateLimitedError(
        `At most ${exportsPerWindow} evidence exports per ${windowSeconds / 60} minutes; retry later.`,
        'export_rate_limited',
        (window + 1) * windowSeconds - nowSeconds,
      );
    }
    try {
      await deps.store.put(
        { ...key, count: count + 1, ttl: (window + 2) * windowSeconds },
        item ? { kind: 'equals', attribute: 'count', value: count } : { kind: 'notExists' },
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  throw new RateLimitedError('Too many concurrent export requests; retry shortly.', 'export_rate_limited', 1);
}

/**
 * Asks `portal:ExportEvidence` for every account the bundle covers (the caller's own when it names
 * none), with the category and series of each report it carries, so a policy can limit exports to
 * some accounts or some kinds of report; then records the request (one ledger entry with the bundle
 * item) and queues it. The bundle itself is built by the export job.
 */
export async function requestExport(
  deps: EvidenceDeps,
  caller: Caller,
  raw: RequestExportInput,
): Promise<EvidenceBundle> {
  const input = parseInput(requestExportInput, raw);
  if (caller.kind !== 'principal') throw new Error('An evidence export is requested by a signed-in principal');
  const { principal } = caller;
  const orgId = orgOf(caller);
  const bundleId = `eb-${deps.ids.newId().toLowerCase()}`;
  const fingerprint = input.recipientPublicKeyPem ? recipientFingerprint(input.recipientPublicKeyPem) : undefined;

  // Each report is read as the requester sees it (another publisher's draft answers 404).
  const reports = [];
  for (const [i, wanted] of input.reports.entries()) {
    try {
      reports.push(await deps.reports.version(wanted.reportId, wanted.version, orgId));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new ValidationError('A report version is not in the catalog', [
        { path: `reports.${i}`, message: `no version ${wanted.version} of report ${wanted.reportId}` },
      ]);
    }
  }
  const accounts = input.accountIds.length > 0 ? input.accountIds : [principal.accountId];
  const reportContexts =
    reports.length > 0
      ? reports.map(({ report }) => ({
          'portal:ReportCategory': report.category,
          'portal:ReportSeries': report.series,
        }))
      : [{}];
  for (const accountId of accounts) {
    for (const context of reportContexts) {
      await requireAllowed(
        deps.authorizer,
        caller,
        'portal:ExportEvidence',
        evidenceBundleArn(orgId, accountId, bundleId),
        {
          'portal:AccountId': accountId,
          'portal:RequestedAccounts': accounts,
          ...context,
        },
      );
    }
  }
  await takeRateSlot(deps, orgId, principal.userId);

  for (const [i, accountId] of input.accountIds.entries()) {
    try {
      await deps.organizations.getAccount(orgId, accountId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new ValidationError('An account is not in this organization', [
        { path: `accountIds.${i}`, message: 'not an account of this organization' },
      ]);
    }
  }
  const actor = { orgId, userId: principal.userId, email: principal.email, accountId: principal.accountId };
  for (const { report, version } of reports) {
    const terms = await deps.reports.termsRevision(version.termsRevisionId);
    if (!(await deps.reports.standingAcceptance(actor, terms))) {
      throw evidenceErrors.error(
        'bundle_terms_not_accepted',
        `Accept the terms of ${report.name} version ${version.version} first (POST /api/reports/${report.id}/versions/${version.version}/terms/acceptances).`,
      );
    }
  }
  if (input.ledger) {
    if (input.ledger.toSeq - input.ledger.fromSeq + 1 > deps.settings.maxLedgerEntries) {
      throw new ValidationError('The ledger range is too long', [
        { path: 'ledger', message: `at most ${deps.settings.maxLedgerEntries} entries per bundle` },
      ]);
    }
    const checkpoint = await deps.ledger.latestCheckpoint(orgId);
    if (!checkpoint || checkpoint.size < input.ledger.toSeq) {
      throw evidenceErrors.error(
        'ledger_range_unsigned',
        `The newest signed checkpoint covers ${checkpoint?.size ?? 0} entries; entry ${input.ledger.toSeq} is past it.`,
      );
    }
  }

  const now = deps.clock.now();
  const request: BundleRequest = {
    purpose: input.purpose,
    accountIds: input.accountIds,
    asOf: input.asOf ? new Date(input.asOf).toISOString() : now.toISOString(),
    agreementIds: input.agreementIds,
    reports: input.reports,
    ...(input.ledger ? { ledger: input.ledger } : {}),
    ...(input.recipientPublicKeyPem ? { recipientPublicKeyPem: input.recipientPublicKeyPem } : {}),
    validityDays: input.validityDays,
  };
  const bundle: EvidenceBundle = {
    bundleId,
    orgId,
    state: 'queued',
    requester: {
      userId: principal.userId,
      email: principal.email,
      displayName: principal.displayName,
      accountId: principal.accountId,
    },
    request,
    ...(fingerprint ? { recipientFingerprint: fingerprint } : {}),
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 },
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.validityDays * 86_400_000).toISOString(),
    version: 1,
  };
  await deps.ledger.append({
    orgId,
    actor: actorOf(principal),
    action: 'evidence:ExportRequested',
    subject: evidenceBundleArn(orgId, principal.accountId, bundleId),
    accountId: principal.accountId,
    details: {
      bundleId,
      purpose: input.purpose,
      accounts: input.accountIds,
      reports: input.reports.map((r) => `${r.reportId}@${r.version}`),
      agreements: input.agreementIds,
      ...(input.ledger ? { ledger: input.ledger } : {}),
      recipients: fingerprint ? ['kms', `rsa:${fingerprint}`] : ['kms'],
      ...caller.origin,
    },
    alsoWrite: [{ kind: 'put', item: bundleItem(bundle), condition: { kind: 'notExists' } }],
  });
  await deps.queue.enqueue({ orgId, bundleId });
  return bundle;
}
