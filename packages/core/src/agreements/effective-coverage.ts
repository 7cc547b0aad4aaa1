/**
 * Effective coverage, computed from facts and nothing else: acceptances (each for one account or for
 * the whole organization), their ends (termination, or being superseded by a later acceptance of the
 * same target), the account's membership intervals, and the agreement's revisions. An org-wide
 * acceptance is ONE fact; every account's coverage is derived from it, so accounts that join later
 * are covered from their join instant and accounts that leave lose org coverage at once.
 *
 * All intervals are half-open, [start, end): at the instant an acceptance is terminated, or an account
 * leaves, coverage has already ended. Instants are ISO 8601 UTC strings (they compare as text).
 */
export type AcceptanceScope = 'account' | 'organization';

export interface AcceptanceFact {
  acceptanceId: string;
  agreementId: string;
  scope: AcceptanceScope;
  /** The covered account (account scope only). */
  accountId?: string;
  revisionId: string;
  acceptedAt: string;
  /** When it stopped covering: terminated, or superseded by a re-acceptance of the same target. */
  endedAt?: string;
}

export interface MembershipInterval {
  joinedAt: string;
  leftAt?: string;
}

export interface RevisionFact {
  revisionId: string;
  /** When the revision became the one to accept (its publication instant). */
  publishedAt: string;
}

export interface CoverageFacts {
  acceptances: readonly AcceptanceFact[];
  /** Membership of accounts in the organization, by account id. */
  memberships: ReadonlyMap<string, readonly MembershipInterval[]>;
  /** Revisions by agreement id. */
  revisions: ReadonlyMap<string, readonly RevisionFact[]>;
}

export type Coverage =
  | { covered: false }
  | {
      covered: true;
      via: 'account' | 'organization';
      /** Start of the uninterrupted coverage through `via` that holds at the instant asked about. */
      since: string;
      revisionId: string;
      acceptanceId: string;
      /** A later revision was published by then: still covering (docs/agreements.md), re-acceptance asked for. */
      revisionOutdated: boolean;
    };

const activeAt = (fact: AcceptanceFact, at: string) =>
  fact.acceptedAt <= at && (fact.endedAt === undefined || fact.endedAt > at);

/** The acceptance of one target (account or organization) in force at `at`, if any. */
function activeAcceptance(
  facts: CoverageFacts,
  agreementId: string,
  at: string,
  target: { scope: 'organization' } | { scope: 'account'; accountId: string },
): AcceptanceFact | undefined {
  let found: AcceptanceFact | undefined;
  for (const fact of facts.acceptances) {
    if (fact.agreementId !== agreementId || fact.scope !== target.scope) continue;
    if (target.scope === 'account' && fact.accountId !== target.accountId) continue;
    if (!activeAt(fact, at)) continue;
    // Two facts active at once cannot come from the store (one active per target); the latest wins.
    if (!found || fact.acceptedAt > found.acceptedAt) found = fact;
  }
  return found;
}

/** The revision in force for acceptance at `at`: the last one published by then. */
export function latestRevisionAt(revisions: readonly RevisionFact[], at: string): RevisionFact | undefined {
  let latest: RevisionFact | undefined;
  for (const revision of revisions) {
    if (revision.publishedAt > at) continue;
    if (!latest || revision.publishedAt > latest.publishedAt) latest = revision;
  }
  return latest;
}

function membershipAt(intervals: readonly MembershipInterval[], at: string): MembershipInterval | undefined {
  return intervals.find(
    (interval) => interval.joinedAt <= at && (interval.leftAt === undefined || interval.leftAt > at),
  );
}

export function effectiveCoverage(facts: CoverageFacts, accountId: string, agreementId: string, at: string): Coverage {
  const latest = latestRevisionAt(facts.revisions.get(agreementId) ?? [], at);
  const outdated = (fact: AcceptanceFact) => latest !== undefined && latest.revisionId !== fact.revisionId;

  // The account's own acceptance wins: it is its own contract and survives org termination and leaving.
  const own = activeAcceptance(facts, agreementId, at, { scope: 'account', accountId });
  if (own) {
    return {
      covered: true,
      via: 'account',
      since: own.acceptedAt,
      revisionId: own.revisionId,
      acceptanceId: own.acceptanceId,
      revisionOutdated: outdated(own),
    };
  }
  const membership = membershipAt(facts.memberships.get(accountId) ?? [], at);
  if (!membership) return { covered: false };
  const org = activeAcceptance(facts, agreementId, at, { scope: 'organization' });
  if (!org) return { covered: false };
  return {
    covered: true,
    via: 'organization',
    since: org.acceptedAt > membership.joinedAt ? org.acceptedAt : membership.joinedAt,
    revisionId: org.revisionId,
    acceptanceId: org.acceptanceId,
    revisionOutdated: outdated(org),
  };
}
