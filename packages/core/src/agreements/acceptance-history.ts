import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { queryAll } from '../ports/query-all.js';
import { acceptanceView, readTarget } from './acceptance-targets.js';
import { readAgreement } from './agreement-catalog.js';
import type { AgreementDeps } from './agreement-deps.js';
import { agreementIdField } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import { type AcceptanceRecord, type AcceptanceView, toAcceptanceRecord } from './agreement-records.js';

export const historyInput = z.object({ agreementId: agreementIdField });
export type HistoryInput = z.infer<typeof historyInput>;

export const acceptanceInput = z.object({
  agreementId: agreementIdField,
  acceptanceId: z.string().min(1).max(256),
});
export type AcceptanceInput = z.infer<typeof acceptanceInput>;

/**
 * Every acceptance of the agreement by the caller's organization, newest first, with its status: one
 * listing of the agreement's history index (acceptance and termination records), however many accounts.
 */
export async function acceptanceHistory(
  deps: AgreementDeps,
  caller: Caller,
  raw: HistoryInput,
): Promise<AcceptanceView[]> {
  const { agreementId } = parseInput(historyInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreement', agreementArn(orgId, agreementId));
  const [agreement, items] = await Promise.all([
    readAgreement(deps.store, agreementId),
    queryAll(deps.store, agreementKeys.historyIndex(orgId, agreementId), { index: 'gsi1' }),
  ]);
  const records = items.filter((item) => item.type === 'AgreementAcceptance').map(toAcceptanceRecord);
  const ends = new Map<string, { endedAt: string; endReason: 'terminated' | 'superseded' }>();
  for (const item of items) {
    if (item.type === 'AgreementTermination' && typeof item.terminatedAt === 'string') {
      ends.set(String(item.acceptanceId), { endedAt: item.terminatedAt, endReason: 'terminated' });
    }
  }
  // A later acceptance of the same target supersedes an earlier one still in force (records sort by time).
  const latestByTarget = new Map<string, AcceptanceRecord>();
  for (const record of records) {
    const target = `${record.scope}#${record.accountId ?? ''}`;
    const previous = latestByTarget.get(target);
    if (previous && !ends.has(previous.acceptanceId)) {
      ends.set(previous.acceptanceId, { endedAt: record.acceptedAt, endReason: 'superseded' });
    }
    latestByTarget.set(target, record);
  }
  return records.map((record) => acceptanceView(record, agreement, ends.get(record.acceptanceId))).reverse();
}

/** One acceptance of the caller's organization; another organization's id answers 404. */
export async function getAcceptance(
  deps: AgreementDeps,
  caller: Caller,
  raw: AcceptanceInput,
): Promise<AcceptanceView> {
  const { agreementId, acceptanceId } = parseInput(acceptanceInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreement', agreementArn(orgId, agreementId));
  const item = await deps.store.get(agreementKeys.acceptance(orgId, acceptanceId));
  if (!item || item.agreementId !== agreementId) throw new NotFoundError('No such acceptance.');
  const record = toAcceptanceRecord(item);
  const [agreement, target] = await Promise.all([
    readAgreement(deps.store, agreementId),
    readTarget(deps.store, orgId, agreementId, record),
  ]);
  return acceptanceView(
    record,
    agreement,
    target.history.find((entry) => entry.acceptanceId === acceptanceId),
  );
}
