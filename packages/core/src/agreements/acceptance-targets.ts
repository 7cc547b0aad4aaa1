import { queryAll } from '../ports/query-all.js';
import type { Item, ItemValue, Store } from '../ports/store.js';
import { agreementKeys } from './agreement-keys.js';
import type { AcceptanceRecord, AcceptanceTarget, AcceptanceView, Agreement } from './agreement-records.js';
import { toTarget } from './agreement-records.js';
import type { AcceptanceScope } from './effective-coverage.js';

/** The target of an acceptance: the whole organization, or one account. */
export interface ScopeTarget {
  scope: AcceptanceScope;
  accountId?: string;
}

const targetKey = (orgId: string, agreementId: string, target: ScopeTarget) =>
  target.scope === 'organization'
    ? agreementKeys.orgTarget(orgId, agreementId)
    : agreementKeys.accountTarget(orgId, agreementId, target.accountId ?? '');

/** A target's state, read consistently: the write that follows is conditioned on its version. */
export async function readTarget(
  store: Store,
  orgId: string,
  agreementId: string,
  target: ScopeTarget,
): Promise<AcceptanceTarget> {
  const item = await store.get(targetKey(orgId, agreementId, target), { consistent: true });
  return toTarget(item, {
    agreementId,
    scope: target.scope,
    ...(target.accountId ? { accountId: target.accountId } : {}),
  });
}

/** The organization's target items under a prefix (all, the org-wide ones, or one account's). */
export async function listTargets(store: Store, orgId: string, prefix = 'TARGET#'): Promise<AcceptanceTarget[]> {
  const items = await queryAll(store, agreementKeys.orgPartition(orgId), { skPrefix: prefix });
  return items.map((item) =>
    toTarget(item, {
      agreementId: String(item.agreementId),
      scope: item.scope === 'organization' ? 'organization' : 'account',
      ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
    }),
  );
}

/** The stored form of a target: its active acceptance (if any) and compact history. */
export function targetItem(orgId: string, target: AcceptanceTarget): Item {
  const key = targetKey(orgId, target.agreementId, target);
  return {
    ...key,
    type: 'AgreementTarget',
    orgId,
    agreementId: target.agreementId,
    scope: target.scope,
    ...(target.accountId ? { accountId: target.accountId } : {}),
    version: target.version,
    history: target.history.map((entry) => ({ ...entry }) as { [key: string]: ItemValue }),
    // Sparse index of targets with an active acceptance: who to tell about a new revision.
    ...(target.activeAcceptanceId
      ? {
          activeAcceptanceId: target.activeAcceptanceId,
          activeRevisionId: target.activeRevisionId ?? '',
          gsi2pk: agreementKeys.acceptorsIndex(target.agreementId),
          gsi2sk: `${orgId}#${key.sk}`,
        }
      : {}),
  };
}

/** An acceptance record as answered: its status from the target's history, outdated against the latest revision. */
export function acceptanceView(
  record: AcceptanceRecord,
  agreement: Agreement,
  entry: { endedAt?: string; endReason?: 'terminated' | 'superseded' } | undefined,
): AcceptanceView {
  const latest = agreement.latestRevision?.revisionId;
  return {
    ...record,
    status: entry?.endedAt ? (entry.endReason ?? 'terminated') : 'active',
    ...(entry?.endedAt ? { endedAt: entry.endedAt } : {}),
    revisionOutdated: latest !== undefined && latest !== record.revisionId,
    ...(latest ? { latestRevisionId: latest } : {}),
  };
}
