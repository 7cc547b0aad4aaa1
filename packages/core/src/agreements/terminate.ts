import { z } from 'zod';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf } from '../access/caller.js';
import { agreementArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import { TransactionConflictError } from '../errors.js';
import { parseInput } from '../input.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import { readTarget, targetItem } from './acceptance-targets.js';
import { readAgreement } from './agreement-catalog.js';
import { type AgreementDeps, maxWriteAttempts, nowOf } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import { agreementIdField, organizationScopeOmitsAccount, scopeFields } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import type { AcceptanceTarget } from './agreement-records.js';
import { authorizedTarget } from './authorized-target.js';

/** POST /api/agreements/{id}/terminations: the body. */
export const terminateBody = z.object(scopeFields).superRefine(organizationScopeOmitsAccount);

/** Terminate the active acceptance of one account (default: the caller's own) or of the organization. */
export const terminateInput = z
  .object({ agreementId: agreementIdField, ...scopeFields })
  .superRefine(organizationScopeOmitsAccount);

export type TerminateInput = z.infer<typeof terminateInput>;

export interface Termination {
  acceptanceId: string;
  terminatedAt: string;
}

/**
 * Ends the target's active acceptance: coverage through it stops at once; the acceptance record is
 * kept and a termination record is added, in one transaction with the ledger entry.
 */
export async function terminate(deps: AgreementDeps, caller: Caller, raw: TerminateInput): Promise<Termination> {
  const input = parseInput(terminateInput, raw);
  const agreement = await readAgreement(deps.store, input.agreementId);
  const { principal, target } = await authorizedTarget(deps, caller, 'portal:TerminateAgreement', agreement, input);
  const orgId = orgOf(caller);
  const { agreementId } = input;
  const origin = caller.kind === 'principal' ? caller.origin : {};
  const actor = actorOf(principal);
  return retryOnRace(
    async () => {
      const state = await readTarget(deps.store, orgId, agreementId, target);
      const acceptanceId = state.activeAcceptanceId;
      if (!acceptanceId) throw agreementErrors.error('not_accepted', 'There is no active acceptance to terminate.');
      const terminatedAt = nowOf(deps);
      const next: AcceptanceTarget = {
        agreementId: state.agreementId,
        scope: state.scope,
        ...(state.accountId ? { accountId: state.accountId } : {}),
        version: state.version + 1,
        history: state.history.map((entry) =>
          entry.acceptanceId === acceptanceId
            ? { ...entry, endedAt: terminatedAt, endReason: 'terminated' as const }
            : entry,
        ),
      };
      const entry = await deps.ledger.append({
        orgId,
        actor,
        action: 'agreement:Terminated',
        subject: agreementArn(orgId, agreementId, target.accountId),
        ...(target.accountId ? { accountId: target.accountId } : {}),
        details: { acceptanceId, agreementId, scope: target.scope, at: terminatedAt, ...origin },
        requestToken: `agreement-termination#${acceptanceId}`,
        alsoWrite: [
          {
            kind: 'put',
            item: {
              ...agreementKeys.termination(orgId, acceptanceId),
              type: 'AgreementTermination',
              orgId,
              agreementId,
              acceptanceId,
              terminatedAt,
              terminatedBy: { userId: principal.userId, email: principal.email, accountId: principal.accountId },
              ...origin,
              gsi1pk: agreementKeys.historyIndex(orgId, agreementId),
              gsi1sk: `${terminatedAt}#TERMINATION#${acceptanceId}`,
            },
            condition: { kind: 'notExists' },
          },
          {
            kind: 'put',
            item: targetItem(orgId, next),
            condition: { kind: 'equals', attribute: 'version', value: state.version },
          },
        ],
      });
      // The token names the acceptance, so a concurrent termination by someone else answers with its
      // entry (a replay) and our writes never ran: that is a lost race; read again.
      if (entry.actor.id !== actor.id || entry.details.at !== terminatedAt) {
        throw new TransactionConflictError('A concurrent termination recorded this acceptance first.');
      }
      return { acceptanceId, terminatedAt };
    },
    {
      attempts: maxWriteAttempts + 1,
      exhausted: () => commonErrors.error('concurrent_change', 'The acceptance changed concurrently; retry.'),
    },
  );
}
