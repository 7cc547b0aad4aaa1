import type { Ledger } from '../ledger/ledger.js';
import { directoryKeys, orgPartition } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import type { Item, ItemValue, Store } from '../ports/store.js';
import { agreementKeys } from './agreement-keys.js';
import type { MembershipInterval } from './effective-coverage.js';

/**
 * What coverage needs to know about accounts in an organization: when each was a member. The org
 * module deletes an account's item when it leaves and records joins and departures in the ledger;
 * this port answers from a compact history the agreements module keeps (fed by `recordJoin` /
 * `recordLeave`, called from the org module's join/leave or a worker reading its ledger entries),
 * merged with the org directory's current account items.
 */
export interface MembershipHistory {
  intervals(orgId: string, accountId: string): Promise<MembershipInterval[]>;
  /** Every account that was ever a member, with its intervals (pages internally). */
  all(orgId: string): Promise<Map<string, MembershipInterval[]>>;
  managementAccountId(orgId: string): Promise<string | undefined>;
  recordJoin(orgId: string, accountId: string, at: string): Promise<void>;
  /** Closes the open interval; `joinedAt` covers departures whose join was never recorded here. */
  recordLeave(orgId: string, accountId: string, at: string, joinedAt?: string): Promise<MembershipInterval[]>;
}

function readIntervals(item: Item | undefined): MembershipInterval[] {
  const raw = item?.intervals;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    const joinedAt = value.joinedAt;
    const leftAt = value.leftAt;
    if (typeof joinedAt !== 'string') return [];
    return [typeof leftAt === 'string' ? { joinedAt, leftAt } : { joinedAt }];
  });
}

const toItemValue = (intervals: MembershipInterval[]): ItemValue =>
  intervals.map((interval) => ({ ...interval }) as { [key: string]: ItemValue });

/** A directory account item that is present means an open interval from its `joinedAt`. */
function merge(history: MembershipInterval[], directoryAccount: Item | undefined): MembershipInterval[] {
  const joinedAt = directoryAccount?.joinedAt;
  if (typeof joinedAt !== 'string') return history;
  if (history.some((interval) => interval.leftAt === undefined || interval.joinedAt === joinedAt)) return history;
  return [...history, { joinedAt }];
}

/** Finds when an account last joined, for departures whose join the history never saw. */
export type JoinLookup = (orgId: string, accountId: string) => Promise<string | undefined>;

/** A join lookup over the ledger's account index: the latest `org:AccountJoined` entry of the account. */
export function ledgerJoinLookup(ledger: Pick<Ledger, 'list'>): JoinLookup {
  return async (orgId, accountId) => {
    const page = await ledger.list(orgId, { accountId, action: 'org:AccountJoined', limit: 1 });
    const entry = page.items[0];
    if (!entry) return undefined;
    return typeof entry.details.at === 'string' ? entry.details.at : entry.time;
  };
}

export class StoreMembershipHistory implements MembershipHistory {
  constructor(
    private readonly store: Store,
    private readonly joinLookup?: JoinLookup,
  ) {}

  async intervals(orgId: string, accountId: string): Promise<MembershipInterval[]> {
    const historyKey = agreementKeys.membership(orgId, accountId);
    const items = await this.store.batchGet([historyKey, directoryKeys.account(orgId, accountId)]);
    const history = items.find((item) => item.pk === historyKey.pk);
    const directory = items.find((item) => item.pk !== historyKey.pk);
    return merge(readIntervals(history), directory);
  }

  async all(orgId: string): Promise<Map<string, MembershipInterval[]>> {
    const [histories, accounts] = await Promise.all([
      queryAll(this.store, agreementKeys.membershipPartition(orgId), { skPrefix: 'ACCOUNT#' }),
      queryAll(this.store, orgPartition(orgId), { skPrefix: 'ACCOUNT#' }),
    ]);
    const result = new Map<string, MembershipInterval[]>();
    for (const item of histories) result.set(item.sk.slice('ACCOUNT#'.length), readIntervals(item));
    for (const item of accounts) {
      const accountId = item.sk.slice('ACCOUNT#'.length);
      result.set(accountId, merge(result.get(accountId) ?? [], item));
    }
    return result;
  }

  async managementAccountId(orgId: string): Promise<string | undefined> {
    const org = await this.store.get(directoryKeys.org(orgId));
    return typeof org?.managementAccountId === 'string' ? org.managementAccountId : undefined;
  }

  async recordJoin(orgId: string, accountId: string, at: string): Promise<void> {
    await this.update(orgId, accountId, (intervals) =>
      intervals.some((interval) => interval.leftAt === undefined) ? intervals : [...intervals, { joinedAt: at }],
    );
  }

  async recordLeave(orgId: string, accountId: string, at: string, joinedAt?: string): Promise<MembershipInterval[]> {
    const directory = await this.store.get(directoryKeys.account(orgId, accountId));
    const known = await this.store.get(agreementKeys.membership(orgId, accountId), { consistent: true });
    const unrecorded = !directory && !readIntervals(known).some((interval) => interval.leftAt === undefined);
    const joined = joinedAt ?? (unrecorded && this.joinLookup ? await this.joinLookup(orgId, accountId) : undefined);
    return this.update(orgId, accountId, (intervals) => {
      const merged = merge(intervals, directory);
      const open = merged.findIndex((interval) => interval.leftAt === undefined);
      if (open >= 0) return merged.map((interval, i) => (i === open ? { ...interval, leftAt: at } : interval));
      if (joined !== undefined && joined < at && !merged.some((interval) => interval.leftAt === at)) {
        return [...merged, { joinedAt: joined, leftAt: at }];
      }
      return merged;
    });
  }

  /** Read-modify-write under a version condition; retried when a concurrent writer got there first. */
  private async update(
    orgId: string,
    accountId: string,
    change: (intervals: MembershipInterval[]) => MembershipInterval[],
  ): Promise<MembershipInterval[]> {
    const key = agreementKeys.membership(orgId, accountId);
    return retryOnRace(
      async () => {
        const item = await this.store.get(key, { consistent: true });
        const version = typeof item?.version === 'number' ? item.version : 0;
        const next = change(readIntervals(item));
        await this.store.put(
          { ...key, type: 'AgreementMembership', accountId, intervals: toItemValue(next), version: version + 1 },
          item ? { kind: 'equals', attribute: 'version', value: version } : { kind: 'notExists' },
        );
        return next;
      },
      { attempts: 6 },
    );
  }
}
