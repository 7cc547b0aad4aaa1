import { agreementArn } from '../access/resources.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { listTargets } from './acceptance-targets.js';
import { readCatalog } from './agreement-catalog.js';
import type { AgreementDeps } from './agreement-deps.js';
import { agreementKeys } from './agreement-keys.js';
import { revisionFacts, targetFacts } from './agreement-records.js';
import { type CoverageFacts, effectiveCoverage, type MembershipInterval } from './effective-coverage.js';

/** The organization module's listener (wired in composition): an account joined at `at`. */
export async function accountJoined(deps: AgreementDeps, orgId: string, accountId: string, at: string) {
  await deps.membership.recordJoin(orgId, accountId, at);
}

/**
 * The account left the organization at `at`: org coverage ends at once. Records the departure in the
 * membership history and appends one `agreement:CoverageLost` entry per agreement whose org coverage
 * the account loses (not those it keeps through its own acceptance). Idempotent: safe to call again.
 */
export async function accountLeft(
  deps: AgreementDeps,
  orgId: string,
  accountId: string,
  at: string,
  joinedAt?: string,
): Promise<LedgerEntry[]> {
  const intervals = await deps.membership.recordLeave(orgId, accountId, at, joinedAt);
  const [orgTargets, accountTargets, agreements] = await Promise.all([
    listTargets(deps.store, orgId, agreementKeys.orgTargetPrefix()),
    listTargets(deps.store, orgId, agreementKeys.accountTargetPrefix(accountId)),
    readCatalog(deps.store),
  ]);
  const facts: CoverageFacts = {
    acceptances: [...orgTargets, ...accountTargets].flatMap(targetFacts),
    memberships: new Map<string, MembershipInterval[]>([[accountId, intervals]]),
    revisions: new Map(agreements.map((agreement) => [agreement.agreementId, revisionFacts(agreement)])),
  };
  const justBefore = new Date(Date.parse(at) - 1).toISOString();
  const entries: LedgerEntry[] = [];
  for (const target of orgTargets) {
    const before = effectiveCoverage(facts, accountId, target.agreementId, justBefore);
    const after = effectiveCoverage(facts, accountId, target.agreementId, at);
    if (!before.covered || before.via !== 'organization' || after.covered) continue;
    entries.push(
      await deps.ledger.append({
        orgId,
        actor: { type: 'system', id: 'agreements' },
        action: 'agreement:CoverageLost',
        subject: agreementArn(orgId, target.agreementId, accountId),
        accountId,
        details: {
          agreementId: target.agreementId,
          acceptanceId: before.acceptanceId,
          reason: 'account left the organization',
          coveredSince: before.since,
          at,
        },
        requestToken: `agreement-coverage-lost#${target.agreementId}#${accountId}#${at}`,
      }),
    );
  }
  return entries;
}
