import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { listTargets } from './acceptance-targets.js';
import { readCatalog } from './agreement-catalog.js';
import { type AgreementDeps, nowOf } from './agreement-deps.js';
import { accountIdField, agreementIdField, instantField } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import { type AgreementType, revisionFacts, targetFacts, toAgreement, toTarget } from './agreement-records.js';
import { type Coverage, type CoverageFacts, effectiveCoverage } from './effective-coverage.js';

/** GET /api/coverage: one account, one agreement, one instant (default now). */
export const coverageInput = z.object({
  accountId: accountIdField,
  agreementId: agreementIdField,
  at: instantField.optional(),
});
export type CoverageInput = z.infer<typeof coverageInput>;

/** GET /api/coverage/matrix: every account × every agreement at an instant (default now). */
export const matrixInput = z.object({ at: instantField.optional() });
export type MatrixInput = z.infer<typeof matrixInput>;

export type CoverageAnswer = Coverage & { at: string };

export interface CoverageMatrix {
  at: string;
  agreements: Array<{ agreementId: string; name: string; type: AgreementType }>;
  accounts: Array<{
    accountId: string;
    coverage: Record<
      string,
      { covered: boolean; via?: 'account' | 'organization'; since?: string; revisionId?: string }
    >;
  }>;
}

const instantOf = (deps: AgreementDeps, at: string | undefined) =>
  at === undefined ? nowOf(deps) : new Date(Date.parse(at)).toISOString();

/**
 * Coverage of one account by one agreement at an instant, in two Store calls made together: one batch
 * get of the agreement and both target items, and the account's membership history.
 */
export async function coverage(deps: AgreementDeps, caller: Caller, raw: CoverageInput): Promise<CoverageAnswer> {
  const { accountId, agreementId, at: asked } = parseInput(coverageInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:GetAgreementCoverage',
    agreementArn(orgId, agreementId, accountId),
  );
  const at = instantOf(deps, asked);
  const keys = [
    agreementKeys.agreement(agreementId),
    agreementKeys.orgTarget(orgId, agreementId),
    agreementKeys.accountTarget(orgId, agreementId, accountId),
  ] as const;
  const [items, intervals] = await Promise.all([
    deps.store.batchGet(keys),
    deps.membership.intervals(orgId, accountId),
  ]);
  const find = (key: { pk: string; sk: string }) => items.find((item) => item.pk === key.pk && item.sk === key.sk);
  const agreementItem = find(keys[0]);
  if (!agreementItem) throw new NotFoundError('No such agreement.');
  const orgTarget = find(keys[1]);
  const accountTarget = find(keys[2]);
  if (intervals.length === 0 && !accountTarget) throw new NotFoundError('No such account.');
  const facts: CoverageFacts = {
    acceptances: [
      ...targetFacts(toTarget(orgTarget, { agreementId, scope: 'organization' })),
      ...targetFacts(toTarget(accountTarget, { agreementId, scope: 'account', accountId })),
    ],
    memberships: new Map([[accountId, intervals]]),
    revisions: new Map([[agreementId, revisionFacts(toAgreement(agreementItem))]]),
  };
  return { ...effectiveCoverage(facts, accountId, agreementId, at), at };
}

/**
 * Accounts (members at `at`, or covered by their own acceptance) × every agreement. Reads three
 * listings (catalog, the org's target items, membership), each paged: no per-account calls.
 */
export async function coverageMatrix(deps: AgreementDeps, caller: Caller, raw: MatrixInput): Promise<CoverageMatrix> {
  const { at: asked } = parseInput(matrixInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreementCoverage', agreementArn(orgId, '*', '*'));
  const at = instantOf(deps, asked);
  const [agreements, targets, memberships] = await Promise.all([
    readCatalog(deps.store),
    listTargets(deps.store, orgId),
    deps.membership.all(orgId),
  ]);
  const facts: CoverageFacts = {
    acceptances: targets.flatMap(targetFacts),
    memberships,
    revisions: new Map(agreements.map((agreement) => [agreement.agreementId, revisionFacts(agreement)])),
  };
  const memberAt = (accountId: string) =>
    memberships.get(accountId)?.some((i) => i.joinedAt <= at && (i.leftAt === undefined || i.leftAt > at)) ?? false;
  const accountIds = new Set<string>([...memberships.keys()].filter(memberAt));
  for (const target of targets) if (target.accountId) accountIds.add(target.accountId);
  const accounts = [...accountIds].sort().flatMap((accountId) => {
    const cells = Object.fromEntries(
      agreements.map((agreement) => {
        const answer = effectiveCoverage(facts, accountId, agreement.agreementId, at);
        return [
          agreement.agreementId,
          answer.covered
            ? { covered: true, via: answer.via, since: answer.since, revisionId: answer.revisionId }
            : { covered: false },
        ];
      }),
    );
    // Former members appear only while their own acceptance still covers them.
    if (!memberAt(accountId) && !Object.values(cells).some((cell) => cell.covered)) return [];
    return [{ accountId, coverage: cells }];
  });
  return {
    at,
    agreements: agreements.map((a) => ({ agreementId: a.agreementId, name: a.name, type: a.type })),
    accounts,
  };
}
