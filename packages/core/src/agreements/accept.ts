import { z } from 'zod';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf } from '../access/caller.js';
import { agreementArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import { parseInput } from '../input.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import type { ItemValue, WriteOp } from '../ports/store.js';
import { readTarget, targetItem } from './acceptance-targets.js';
import { readAgreement } from './agreement-catalog.js';
import { type AgreementDeps, maxWriteAttempts, nowOf } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import { agreementIdField, organizationScopeOmitsAccount, revisionIdField, scopeFields } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import type { AcceptanceRecord, AcceptanceTarget, AcceptanceView } from './agreement-records.js';
import { authorizedTarget } from './authorized-target.js';

/** POST /api/agreements/{id}/acceptances: the body. */
export const acceptBody = z
  .object({ ...scopeFields, revisionId: revisionIdField })
  .superRefine(organizationScopeOmitsAccount);

/** Accept the latest revision for one account (default: the caller's own) or for the whole organization. */
export const acceptInput = z
  .object({ agreementId: agreementIdField, ...scopeFields, revisionId: revisionIdField })
  .superRefine(organizationScopeOmitsAccount);

export type AcceptInput = z.infer<typeof acceptInput>;

/**
 * Records an acceptance of the agreement's latest revision, in one transaction with its ledger entry:
 * the immutable acceptance record and the target item that keeps one active acceptance per target. A
 * re-acceptance (of a newer revision) supersedes the active one; the old record stays.
 */
export async function accept(deps: AgreementDeps, caller: Caller, raw: AcceptInput): Promise<AcceptanceView> {
  const input = parseInput(acceptInput, raw);
  const agreement = await readAgreement(deps.store, input.agreementId);
  const { principal, target } = await authorizedTarget(deps, caller, 'portal:AcceptAgreement', agreement, input);
  const latest = agreement.latestRevision;
  if (!latest || latest.revisionId !== input.revisionId) {
    throw agreementErrors.error(
      'revision_not_latest',
      latest
        ? `Revision ${input.revisionId} is not the latest; accept ${latest.revisionId} (sha256 ${latest.sha256}).`
        : 'This agreement has no published revision yet.',
    );
  }
  const orgId = orgOf(caller);
  const { agreementId } = input;
  const origin = caller.kind === 'principal' ? caller.origin : {};
  return retryOnRace(
    async () => {
      const state = await readTarget(deps.store, orgId, agreementId, target);
      if (state.activeAcceptanceId && state.activeRevisionId === latest.revisionId) {
        throw agreementErrors.error(
          'already_accepted',
          `Already accepted (acceptance ${state.activeAcceptanceId}); terminate it first to accept again.`,
        );
      }
      const acceptedAt = nowOf(deps);
      const record: AcceptanceRecord = {
        acceptanceId: `acc-${deps.ids.newId().toLowerCase()}`,
        orgId,
        agreementId,
        scope: target.scope,
        ...(target.accountId ? { accountId: target.accountId } : {}),
        revisionId: latest.revisionId,
        sha256: latest.sha256,
        acceptedAt,
        acceptedBy: {
          userId: principal.userId,
          email: principal.email,
          accountId: principal.accountId,
          ...(principal.role ? { role: principal.role.name } : {}),
        },
        ...origin,
      };
      const next: AcceptanceTarget = {
        ...state,
        version: state.version + 1,
        activeAcceptanceId: record.acceptanceId,
        activeRevisionId: record.revisionId,
        history: [
          ...state.history.map((entry) =>
            entry.acceptanceId === state.activeAcceptanceId
              ? { ...entry, endedAt: acceptedAt, endReason: 'superseded' as const }
              : entry,
          ),
          { acceptanceId: record.acceptanceId, revisionId: record.revisionId, acceptedAt },
        ],
      };
      const writes: WriteOp[] = [
        {
          kind: 'put',
          item: {
            ...agreementKeys.acceptance(orgId, record.acceptanceId),
            type: 'AgreementAcceptance',
            ...(record as unknown as Record<string, ItemValue>),
            gsi1pk: agreementKeys.historyIndex(orgId, agreementId),
            gsi1sk: `${acceptedAt}#${record.acceptanceId}`,
          },
          condition: { kind: 'notExists' },
        },
        {
          kind: 'put',
          item: targetItem(orgId, next),
          condition:
            state.version === 0
              ? { kind: 'notExists' }
              : { kind: 'equals', attribute: 'version', value: state.version },
        },
      ];
      await deps.ledger.append({
        orgId,
        actor: actorOf(principal),
        action: 'agreement:Accepted',
        subject: agreementArn(orgId, agreementId, target.accountId),
        ...(target.accountId ? { accountId: target.accountId } : {}),
        details: {
          acceptanceId: record.acceptanceId,
          agreementId,
          scope: target.scope,
          revisionId: record.revisionId,
          sha256: record.sha256,
          at: acceptedAt,
          ...(state.activeAcceptanceId ? { supersedes: state.activeAcceptanceId } : {}),
          ...origin,
        },
        requestToken: `agreement-acceptance#${record.acceptanceId}`,
        alsoWrite: writes,
      });
      return { ...record, status: 'active' as const, revisionOutdated: false, latestRevisionId: latest.revisionId };
    },
    {
      attempts: maxWriteAttempts + 1,
      exhausted: () => commonErrors.error('concurrent_change', 'The acceptance changed concurrently; retry.'),
    },
  );
}
