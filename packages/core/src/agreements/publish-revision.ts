import { z } from 'zod';
import { actorOfCaller, type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { queryAll } from '../ports/query-all.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import type { Item } from '../ports/store.js';
import { requirePublisherGrant, requirePublishingOrganization } from '../reports/publisher-grants.js';
import { sha256Hex } from '../sha256.js';
import { type AgreementDeps, maxWriteAttempts, nowOf } from './agreement-deps.js';
import { agreementIdField, isoDateField, sha256Field } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import { type RevisionSummary, toRevisionSummaries } from './agreement-records.js';
import { verifyRevisionPdf } from './revision-pdf.js';

const oneTextOnly = (value: { markdown?: string | undefined; pdf?: unknown }, context: z.RefinementCtx) => {
  if ((value.markdown === undefined) === (value.pdf === undefined)) {
    context.addIssue({ code: 'custom', path: ['markdown'], message: 'give exactly one of markdown or pdf' });
  }
};

/** A markdown revision's text is at most this many UTF-8 bytes (any caller: the API, a seed, the CLI). */
export const maxRevisionMarkdownBytes = 128 * 1024;

const revisionFields = {
  effectiveDate: isoDateField,
  markdown: z
    .string()
    .min(1)
    .refine((text) => Buffer.byteLength(text, 'utf8') <= maxRevisionMarkdownBytes, {
      message: `at most ${maxRevisionMarkdownBytes} bytes of UTF-8`,
    })
    .optional(),
  pdf: z
    .object({ blobKey: z.string().min(1).max(1024), sha256: sha256Field })
    .optional()
    .describe('A PDF already uploaded to the reports bucket'),
};

/** POST /api/agreements/{id}/revisions: the body. */
export const publishRevisionBody = z.object(revisionFields).superRefine(oneTextOnly);

export const publishRevisionInput = z
  .object({ agreementId: agreementIdField, ...revisionFields })
  .superRefine(oneTextOnly);

export type PublishRevisionInput = z.infer<typeof publishRevisionInput>;

/**
 * Publishes a new revision: it becomes the one to accept at once. Existing acceptances stay in force
 * but are "revision outdated" from now on (derived, not rewritten), and every organization with an
 * active acceptance gets an `agreement:RevisionPublished` entry (its notifications derive from it).
 */
export async function publishRevision(
  deps: AgreementDeps,
  caller: Caller,
  raw: PublishRevisionInput,
): Promise<RevisionSummary> {
  const input = parseInput(publishRevisionInput, raw);
  const orgId = orgOf(caller);
  const { agreementId } = input;
  await requireAllowed(deps.authorizer, caller, 'portal:PublishAgreement', agreementArn(orgId, agreementId));
  const found = await deps.store.get(agreementKeys.agreement(agreementId), { consistent: true });
  if (!found) throw new NotFoundError('No such agreement.');
  if (caller.kind === 'principal') {
    // Other organizations accepted this agreement: only its publisher, still holding a grant, revises it.
    requirePublishingOrganization(String(found.publisherOrgId ?? ''), orgId, 'agreement');
    await requirePublisherGrant(deps.store, orgId);
  }
  if (input.pdf) await verifyRevisionPdf(deps.blobs, agreementId, input.pdf);
  const { revision, previous } = await retryOnRace(
    async () => {
      const current = await deps.store.get(agreementKeys.agreement(agreementId), { consistent: true });
      if (!current) throw new NotFoundError('No such agreement.');
      const revisions = toRevisionSummaries(current.revisions);
      const revision: RevisionSummary = {
        revisionId: `rev-${deps.ids.newId().toLowerCase()}`,
        sha256: input.pdf ? input.pdf.sha256 : sha256Hex(input.markdown ?? ''),
        effectiveDate: input.effectiveDate,
        publishedAt: nowOf(deps),
        format: input.pdf ? 'pdf' : 'markdown',
      };
      await deps.ledger.append({
        orgId,
        actor: actorOfCaller(caller),
        action: 'agreement:RevisionPublished',
        subject: agreementArn(orgId, agreementId),
        details: {
          agreementId,
          revisionId: revision.revisionId,
          sha256: revision.sha256,
          effectiveDate: revision.effectiveDate,
        },
        alsoWrite: [
          {
            kind: 'put',
            item: {
              ...agreementKeys.revision(agreementId, revision.revisionId),
              type: 'AgreementRevision',
              agreementId,
              ...revision,
              ...(input.pdf ? { blobKey: input.pdf.blobKey } : { markdown: input.markdown ?? '' }),
            },
            condition: { kind: 'notExists' },
          },
          {
            kind: 'put',
            item: {
              ...current,
              revisions: [...revisions, revision].map((r) => ({ ...r })),
              revisionCount: revisions.length + 1,
            },
            condition:
              current.revisionCount === undefined
                ? { kind: 'exists' }
                : { kind: 'equals', attribute: 'revisionCount', value: revisions.length },
          },
        ],
      });
      return { revision, previous: revisions.at(-1) };
    },
    { attempts: maxWriteAttempts + 1 },
  );
  if (previous) await notifyAcceptors(deps, agreementId, revision, previous.revisionId);
  return revision;
}

/** One entry per organization with an active acceptance (a fan-out over organizations, never over accounts). */
async function notifyAcceptors(
  deps: AgreementDeps,
  agreementId: string,
  revision: RevisionSummary,
  previousRevisionId: string,
): Promise<void> {
  const targets = await queryAll(deps.store, agreementKeys.acceptorsIndex(agreementId), { index: 'gsi2' });
  const byOrg = new Map<string, Item[]>();
  for (const item of targets) {
    const orgId = String(item.orgId);
    byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), item]);
  }
  for (const [orgId, items] of byOrg) {
    await deps.ledger.append({
      orgId,
      actor: { type: 'system', id: 'agreements' },
      action: 'agreement:RevisionPublished',
      subject: agreementArn(orgId, agreementId),
      details: {
        agreementId,
        revisionId: revision.revisionId,
        previousRevisionId,
        sha256: revision.sha256,
        effectiveDate: revision.effectiveDate,
        outdatedAcceptances: items.map((item) => ({
          acceptanceId: String(item.activeAcceptanceId),
          scope: String(item.scope),
          ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
        })),
      },
      requestToken: `agreement-revision#${revision.revisionId}`,
    });
  }
}
