import { reportArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError } from '../errors.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { Item, ItemKey, Store } from '../ports/store.js';
import { reportKeys } from '../reports/report-keys.js';
import { isPublishedToCustomers, type Report } from '../reports/report-model.js';
import { type DeliveryPolicy, defaultDeliveryPolicy } from './delivery-policy.js';
import { latestLedgerSeq, readEntriesAfter } from './ledger-entry-source.js';
import { notificationKeys } from './notification-keys.js';

/** What a customer org's ledger records when a report version becomes available to it. */
export const reportAvailableAction = 'report:VersionAvailable';

/** The publisher's acts that make a version available (finalizeVersion in the reports module). */
const publicationActions = new Set(['report:Published', 'report:VersionPublished']);

const fanOutActor = { type: 'system', id: 'report-fan-out' } as const;

/** Ids the announcement puts in a request token and an ARN; anything else is a malformed entry. */
const safeId = /^[A-Za-z0-9._-]{1,100}$/;

export interface ReportFanOutDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  ledger: Pick<Ledger, 'append' | 'organizations'>;
  policy?: Partial<Pick<DeliveryPolicy, 'batchSize' | 'maxEntriesPerRun'>>;
}

export interface ReportFanOutReport {
  publishers: number;
  customers: number;
  /** Publisher ledger entries read past the fan-out cursors. */
  entriesRead: number;
  /** Publications announced (or confirmed already announced) to every customer organization. */
  announced: number;
  /** Publications not announced: the report is not visible to customers, or the entry is malformed. */
  notAnnounced: number;
  failedPublishers: string[];
}

/** The request token of "version v of report r is available to you": one per customer org and version. */
export function reportAvailableToken(publisherOrgId: string, reportId: string, version: number): string {
  return `report-available#${publisherOrgId}#${reportId}#${version}`;
}

const keyId = (key: ItemKey) => `${key.pk}\u0000${key.sk}`;

/**
 * Every organization with a ledger, split by what the directory and the report catalog know of it:
 * customers are real organizations (an organization item, so users who can subscribe), publishers
 * hold a publisher grant. An organization may be both.
 */
async function knownOrganizations(deps: ReportFanOutDeps): Promise<{ customers: string[]; publishers: string[] }> {
  const orgIds: string[] = [];
  for await (const orgId of deps.ledger.organizations()) orgIds.push(orgId);
  const customers: string[] = [];
  const publishers: string[] = [];
  const perBatch = 50; // two keys per org, and batchGet takes at most 100
  for (let start = 0; start < orgIds.length; start += perBatch) {
    const chunk = orgIds.slice(start, start + perBatch);
    const found = new Set(
      (
        await deps.store.batchGet(chunk.flatMap((orgId) => [directoryKeys.org(orgId), reportKeys.publisher(orgId)]))
      ).map(keyId),
    );
    for (const orgId of chunk) {
      if (found.has(keyId(directoryKeys.org(orgId)))) customers.push(orgId);
      if (found.has(keyId(reportKeys.publisher(orgId)))) publishers.push(orgId);
    }
  }
  return { customers, publishers };
}

interface Announcement {
  reportId: string;
  version: number;
  details: Record<string, string | number | boolean>;
}

/**
 * What a publication tells customers, or why it tells them nothing. Checked before any write, so a
 * malformed or hidden publication writes nothing anywhere.
 */
async function announcementOf(
  store: Store,
  entry: LedgerEntry,
): Promise<{ announcement: Announcement } | { skip: string }> {
  const { reportId, version } = entry.details;
  if (typeof reportId !== 'string' || !safeId.test(reportId)) return { skip: 'no valid reportId' };
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return { skip: 'no valid version' };
  }
  const item: Item | undefined = await store.get(reportKeys.report(reportId), { consistent: true });
  const report = item ? (JSON.parse(String(item.data)) as Report) : undefined;
  if (!report || report.publisherOrgId !== entry.orgId) return { skip: 'unknown report' };
  if (!isPublishedToCustomers(report)) return { skip: 'report not published' };
  return {
    announcement: {
      reportId,
      version,
      details: {
        reportId,
        version,
        category: report.category,
        series: report.series,
        title: report.name,
        newReport: entry.action === 'report:Published',
        publisherOrgId: entry.orgId,
        publisherSeq: entry.seq,
        publisherAction: entry.action,
      },
    },
  };
}

/**
 * Appends the announcement to one customer's ledger. The token names the report version, not the
 * publisher entry: the `report:Published` and `report:VersionPublished` of a first version, or a
 * re-run after a crash, replay the first append instead of adding a second entry.
 */
async function announce(deps: ReportFanOutDeps, customerOrgId: string, announcement: Announcement): Promise<void> {
  const publisherOrgId = String(announcement.details.publisherOrgId);
  try {
    await deps.ledger.append({
      orgId: customerOrgId,
      actor: fanOutActor,
      action: reportAvailableAction,
      subject: reportArn(customerOrgId, announcement.reportId),
      details: announcement.details,
      requestToken: reportAvailableToken(publisherOrgId, announcement.reportId, announcement.version),
    });
  } catch (error) {
    // Only if the token was ever used for another act: the version was announced, nothing to add.
    if (error instanceof ConflictError && error.code === 'idempotency_token_reused') return;
    throw error;
  }
}

/** Appends to different orgs' ledgers run side by side; each org's ledger still serializes its own. */
const announceConcurrency = 8;

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure once all settled. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}

function cursorItem(deps: ReportFanOutDeps, publisherOrgId: string, seq: number): Item {
  return {
    ...notificationKeys.reportFanOutCursor(publisherOrgId),
    type: 'notification-report-fan-out-cursor',
    orgId: publisherOrgId,
    seq,
    updatedAt: deps.clock.now().toISOString(),
  };
}

/** Where this publisher's fan-out stands; a first sight starts at the head (history is not announced). */
async function readCursor(
  deps: ReportFanOutDeps,
  publisherOrgId: string,
): Promise<{ seq: number; fresh: boolean } | undefined> {
  const key = notificationKeys.reportFanOutCursor(publisherOrgId);
  const item = await deps.store.get(key, { consistent: true });
  if (item) return { seq: Number(item.seq), fresh: false };
  const head = await latestLedgerSeq(deps.store, publisherOrgId);
  try {
    await deps.store.put(cursorItem(deps, publisherOrgId, head), { kind: 'notExists' });
  } catch (error) {
    if (error instanceof ConditionFailedError) return undefined; // another run got here first
    throw error;
  }
  deps.logger.log('info', 'report fan-out starts at the publisher ledger head', { publisherOrgId, seq: head });
  return { seq: head, fresh: true };
}

async function fanOutPublisher(
  deps: ReportFanOutDeps,
  policy: Pick<DeliveryPolicy, 'batchSize' | 'maxEntriesPerRun'>,
  publisherOrgId: string,
  customers: readonly string[],
  report: ReportFanOutReport,
): Promise<void> {
  const start = await readCursor(deps, publisherOrgId);
  if (!start || start.fresh) return;
  let cursor = start.seq;
  let read = 0;
  while (read < policy.maxEntriesPerRun) {
    const entries = await readEntriesAfter(deps.store, publisherOrgId, cursor, policy.batchSize);
    const last = entries.at(-1);
    if (!last) return;
    for (const entry of entries) {
      if (!publicationActions.has(entry.action)) continue;
      const outcome = await announcementOf(deps.store, entry);
      if ('skip' in outcome) {
        report.notAnnounced++;
        deps.logger.log('info', 'report publication not announced to customers', {
          publisherOrgId,
          seq: entry.seq,
          reason: outcome.skip,
        });
        continue;
      }
      // A few orgs at a time (each append is a round trip; a job run has under a minute). Any failure
      // leaves the cursor where it was: the next run repeats the publication, idempotently.
      await inPool(customers, announceConcurrency, (customerOrgId) =>
        announce(deps, customerOrgId, outcome.announcement),
      );
      report.announced++;
    }
    try {
      await deps.store.put(cursorItem(deps, publisherOrgId, last.seq), {
        kind: 'equals',
        attribute: 'seq',
        value: cursor,
      });
    } catch (error) {
      // A concurrent run moved the cursor first; everything written here was idempotent.
      if (error instanceof ConditionFailedError) return;
      throw error;
    }
    read += entries.length;
    report.entriesRead += entries.length;
    cursor = last.seq;
    if (entries.length < policy.batchSize) return;
  }
}

/**
 * Announces each report version a publisher makes available to every customer organization, as a
 * `report:VersionAvailable` entry in the customer's OWN ledger, so its delivery worker (which reads
 * only that ledger) notifies its `report.published` subscribers. Runs in the notification job,
 * before delivery, never in the request path. Each publisher has its own cursor over its ledger;
 * request tokens make re-runs and concurrent runs append nothing twice. One publisher's failure is
 * logged and does not stop the others.
 */
export async function fanOutReportPublications(deps: ReportFanOutDeps): Promise<ReportFanOutReport> {
  const policy = { ...defaultDeliveryPolicy, ...deps.policy };
  const { customers, publishers } = await knownOrganizations(deps);
  const report: ReportFanOutReport = {
    publishers: publishers.length,
    customers: customers.length,
    entriesRead: 0,
    announced: 0,
    notAnnounced: 0,
    failedPublishers: [],
  };
  for (const publisherOrgId of publishers) {
    try {
      // The publisher's own subscribers already see its entries in its own ledger.
      const audience = customers.filter((orgId) => orgId !== publisherOrgId);
      await fanOutPublisher(deps, policy, publisherOrgId, audience, report);
    } catch (error) {
      report.failedPublishers.push(publisherOrgId);
      deps.logger.log('error', 'report fan-out failed for a publisher', {
        publisherOrgId,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
    }
  }
  return report;
}
