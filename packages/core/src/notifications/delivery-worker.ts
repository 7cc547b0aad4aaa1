import type { Authorizer } from '../access/principal.js';
import { ConditionFailedError } from '../errors.js';
import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { Item, ItemValue, Store } from '../ports/store.js';
import { type AccessVerdict, DeliveryAccess } from './delivery-access.js';
import { backoffSchedule, type DeliveryPolicy, defaultDeliveryPolicy } from './delivery-policy.js';
import { readEntriesAfter, readEntry } from './ledger-entry-source.js';
import { feedItemRecord, notificationTitle } from './notification-feed.js';
import { dueSortKey, notificationKeys, orgRegistryPartition } from './notification-keys.js';
import { kindOfAction, type NotificationKind } from './notification-kinds.js';
import type { EmailSender, WebhookTransport } from './notification-ports.js';
import { matchSubscriptions, type Subscription } from './subscription.js';
import { orgSubscriptions } from './subscriptions.js';
import { signatureHeader, signWebhookBody } from './webhook-signature.js';
import { findWebhook, modifyWebhook } from './webhooks.js';

export interface DeliveryWorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  transport: WebhookTransport;
  email: EmailSender;
  policy?: Partial<DeliveryPolicy>;
  /**
   * The access module: before an entry reaches a subscriber, and again before each send attempt, it
   * decides whether that subscriber may still read the entry's subject (delivery-access.ts). The
   * scheduled job always passes it (runNotificationJob requires it); without it kinds and filters
   * are the only gate, which only tests of other concerns rely on.
   */
  authorizer?: Authorizer;
}

export interface DeliveryReport {
  entriesProcessed: number;
  cursor: number;
  feedItems: number;
  webhookDeliveries: number;
  emails: number;
  /** Webhook attempts made in this run and their outcomes. */
  attempts: number;
  delivered: number;
  retried: number;
  failed: number;
  webhooksDisabled: string[];
  emailsSent: number;
  emailsFailed: number;
  /** Entry-subscriber pairs not delivered because the subscriber may not read the subject. */
  withheld: number;
}

function emptyReport(cursor = 0): DeliveryReport {
  return {
    entriesProcessed: 0,
    cursor,
    feedItems: 0,
    webhookDeliveries: 0,
    emails: 0,
    attempts: 0,
    delivered: 0,
    retried: 0,
    failed: 0,
    webhooksDisabled: [],
    emailsSent: 0,
    emailsFailed: 0,
    withheld: 0,
  };
}

/** Creates an item unless it exists; "exists" is the normal outcome of re-processing an entry. */
async function putIfAbsent(store: Store, item: Item): Promise<boolean> {
  try {
    await store.put(item, { kind: 'notExists' });
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

export function eventId(entry: Pick<LedgerEntry, 'orgId' | 'seq'>): string {
  return `evt_${entry.orgId}_${padSeq(entry.seq)}`;
}

/** The JSON a webhook receives; fixed when the delivery is created, so every retry sends the same bytes. */
export function webhookPayload(entry: LedgerEntry, kind: NotificationKind): string {
  return JSON.stringify({
    id: eventId(entry),
    type: kind,
    orgId: entry.orgId,
    title: notificationTitle(kind, entry),
    createdAt: entry.time,
    entry: {
      seq: entry.seq,
      time: entry.time,
      action: entry.action,
      subject: entry.subject,
      ...(entry.accountId !== undefined ? { accountId: entry.accountId } : {}),
      actor: { type: entry.actor.type, id: entry.actor.id },
      details: entry.details,
    },
  });
}

function pendingDelivery(
  key: { pk: string; sk: string },
  orgId: string,
  now: string,
  schedule: number[],
  fields: Record<string, ItemValue>,
): Item {
  return {
    ...key,
    gsi1pk: notificationKeys.dueIndex(orgId),
    gsi1sk: dueSortKey(now, key),
    orgId,
    status: 'pending',
    attempts: [],
    backoffMs: schedule,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/**
 * A delivery that will never be attempted because the subscriber may not read the subject: kept in
 * the delivery log (status `skipped`, one attempt saying why), out of the due index.
 */
function skippedDelivery(pending: Item, now: string, reason: string): Item {
  const { gsi1pk: _due, gsi1sk: _dueKey, nextAttemptAt: _next, ...rest } = pending;
  return { ...rest, status: 'skipped', attempts: [{ at: now, outcome: 'skipped', error: reason }] };
}

/**
 * Everything one entry causes: at most one feed item and one email per user, one delivery per webhook.
 * A user the access module refuses gets no feed item, and skipped (never sent) deliveries instead.
 */
async function fanOut(
  deps: DeliveryWorkerDeps,
  policy: DeliveryPolicy,
  entry: LedgerEntry,
  subscriptions: readonly Subscription[],
  report: DeliveryReport,
  access: DeliveryAccess | undefined,
): Promise<void> {
  const matches = matchSubscriptions(entry, subscriptions);
  const byUser = new Map<string, { kind: NotificationKind; subscriptions: Subscription[] }>();
  for (const match of matches) {
    const group = byUser.get(match.subscription.userId) ?? { kind: match.kind, subscriptions: [] };
    group.subscriptions.push(match.subscription);
    byUser.set(match.subscription.userId, group);
  }
  const now = deps.clock.now().toISOString();
  const schedule = backoffSchedule(policy);
  for (const [userId, { kind, subscriptions: mine }] of byUser) {
    const owner = { orgId: entry.orgId, userId };
    const ids = mine.map((s) => s.subscriptionId);
    const wants = (channel: Subscription['channels'][number]) => mine.filter((s) => s.channels.includes(channel));
    const verdict: AccessVerdict = access ? await access.mayReceive(userId, entry, kind) : { allowed: true };
    // Deliveries of a refused user are still written, as skipped, so the delivery log shows why.
    const record = (item: Item) => (verdict.allowed ? item : skippedDelivery(item, now, verdict.reason));
    if (!verdict.allowed) {
      report.withheld++;
      deps.logger.log('info', 'notification withheld: the subscriber may not read the subject', {
        orgId: entry.orgId,
        userId,
        seq: entry.seq,
        kind,
        reason: verdict.reason,
      });
    } else if (wants('feed').length > 0 && (await putIfAbsent(deps.store, feedItemRecord(owner, entry, kind, ids)))) {
      report.feedItems++;
    }
    const emailTo = wants('email')[0]?.email;
    if (emailTo) {
      const key = notificationKeys.emailDelivery(entry.orgId, userId, entry.seq);
      const title = notificationTitle(kind, entry);
      const created = await putIfAbsent(
        deps.store,
        record(
          pendingDelivery(key, entry.orgId, now, schedule, {
            type: 'notification-email',
            channel: 'email',
            userId,
            seq: entry.seq,
            eventId: eventId(entry),
            notificationKind: kind,
            to: emailTo,
            subject: `[evidence-portal] ${title}`,
            text: `${title}\n\nAction: ${entry.action}\nSubject: ${entry.subject}\nTime: ${entry.time}\nLedger seq: ${entry.seq}\n`,
          }),
        ),
      );
      if (created && verdict.allowed) report.emails++;
    }
    const webhookIds = new Set(wants('webhook').flatMap((s) => (s.webhookId ? [s.webhookId] : [])));
    for (const webhookId of webhookIds) {
      const key = notificationKeys.webhookDelivery(entry.orgId, webhookId, entry.seq);
      const created = await putIfAbsent(
        deps.store,
        record(
          pendingDelivery(key, entry.orgId, now, schedule, {
            type: 'notification-webhook-delivery',
            channel: 'webhook',
            deliveryId: `${webhookId}.${padSeq(entry.seq)}`,
            webhookId,
            userId,
            seq: entry.seq,
            eventId: eventId(entry),
            notificationKind: kind,
            body: webhookPayload(entry, kind),
          }),
        ),
      );
      if (created && verdict.allowed) report.webhookDeliveries++;
    }
  }
}

/**
 * Turns ledger entries after the org's cursor into feed items and pending deliveries, then advances
 * the cursor under a condition on its old value. A crash in between re-processes the same entries on
 * the next run, and every item it writes is keyed by seq and written only if absent: nothing doubles.
 */
async function processNewEntries(
  deps: DeliveryWorkerDeps,
  policy: DeliveryPolicy,
  orgId: string,
  report: DeliveryReport,
  access: DeliveryAccess | undefined,
): Promise<void> {
  const cursorKey = notificationKeys.cursor(orgId);
  const cursorItem = await deps.store.get(cursorKey, { consistent: true });
  let cursor = Number(cursorItem?.seq ?? 0);
  let cursorExists = cursorItem !== undefined;
  report.cursor = cursor;
  const subscriptions = await orgSubscriptions(deps.store, orgId);
  while (report.entriesProcessed < policy.maxEntriesPerRun) {
    const entries = await readEntriesAfter(deps.store, orgId, cursor, policy.batchSize);
    const last = entries.at(-1);
    if (!last) return;
    for (const entry of entries) await fanOut(deps, policy, entry, subscriptions, report, access);
    try {
      await deps.store.put(
        { ...cursorKey, type: 'notification-cursor', orgId, seq: last.seq, updatedAt: deps.clock.now().toISOString() },
        cursorExists ? { kind: 'equals', attribute: 'seq', value: cursor } : { kind: 'notExists' },
      );
    } catch (error) {
      // Another worker moved the cursor first; what we wrote was idempotent, so just stop here.
      if (error instanceof ConditionFailedError) return;
      throw error;
    }
    report.entriesProcessed += entries.length;
    cursor = last.seq;
    cursorExists = true;
    report.cursor = cursor;
    if (entries.length < policy.batchSize) return;
  }
}

interface AttemptOutcome {
  delivered: boolean;
  /** Not attempted: the subscriber may no longer read the subject. Settles the delivery as `skipped`. */
  skipped?: boolean;
  status?: number;
  error?: string;
}

/** Takes a due delivery for this worker for `leaseMs`; false when someone else already has it. */
async function claim(deps: DeliveryWorkerDeps, policy: DeliveryPolicy, item: Item): Promise<Item | undefined> {
  const now = deps.clock.now();
  const current = await deps.store.get({ pk: item.pk, sk: item.sk }, { consistent: true });
  if (current?.status !== 'pending') return undefined;
  if (String(current.nextAttemptAt) > now.toISOString()) return undefined;
  const leaseUntil = new Date(now.getTime() + policy.leaseMs).toISOString();
  const claimed: Item = {
    ...current,
    nextAttemptAt: leaseUntil,
    gsi1sk: dueSortKey(leaseUntil, current),
    version: Number(current.version) + 1,
  };
  try {
    await deps.store.put(claimed, { kind: 'equals', attribute: 'version', value: Number(current.version) });
    return claimed;
  } catch (error) {
    if (error instanceof ConditionFailedError) return undefined;
    throw error;
  }
}

/** Records an attempt; schedules the next one per the stored backoff, or settles the delivery. */
async function settle(
  deps: DeliveryWorkerDeps,
  claimed: Item,
  outcome: AttemptOutcome,
  options: { final?: boolean } = {},
): Promise<'delivered' | 'retry' | 'failed' | 'skipped' | 'superseded'> {
  const now = deps.clock.now();
  const attempts = [...((claimed.attempts ?? []) as ItemValue[])];
  attempts.push({
    at: now.toISOString(),
    outcome: outcome.delivered ? 'delivered' : outcome.skipped ? 'skipped' : 'failed',
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error.slice(0, 300) } : {}),
  });
  const schedule = (claimed.backoffMs ?? []) as number[];
  const delay = schedule[attempts.length - 1];
  const result = outcome.delivered
    ? 'delivered'
    : outcome.skipped
      ? 'skipped'
      : delay === undefined || options.final
        ? 'failed'
        : 'retry';
  const { gsi1pk, gsi1sk: _due, nextAttemptAt: _next, ...rest } = claimed;
  let next: Item = { ...rest, status: result };
  if (result === 'retry') {
    const at = new Date(now.getTime() + (delay ?? 0)).toISOString();
    next = { ...rest, gsi1pk: String(gsi1pk), gsi1sk: dueSortKey(at, claimed), nextAttemptAt: at };
  }
  try {
    await deps.store.put(
      { ...next, attempts, updatedAt: now.toISOString(), version: Number(claimed.version) + 1 },
      { kind: 'equals', attribute: 'version', value: Number(claimed.version) },
    );
  } catch (error) {
    // Our lease ran out and another worker claimed the delivery: its record wins, ours is dropped.
    if (error instanceof ConditionFailedError) return 'superseded';
    throw error;
  }
  return result;
}

async function attemptWebhook(
  deps: DeliveryWorkerDeps,
  policy: DeliveryPolicy,
  claimed: Item,
  report: DeliveryReport,
): Promise<void> {
  const owner = { orgId: String(claimed.orgId), userId: String(claimed.userId) };
  const webhookId = String(claimed.webhookId);
  const log = deps.logger.child({ orgId: owner.orgId, webhookId, seq: claimed.seq });
  const webhook = await findWebhook(deps.store, owner, webhookId);
  if (!webhook?.enabled) {
    await settle(
      deps,
      claimed,
      { delivered: false, error: webhook ? 'webhook disabled' : 'webhook deleted' },
      { final: true },
    );
    report.failed++;
    return;
  }
  const body = String(claimed.body);
  const attempt = ((claimed.attempts ?? []) as ItemValue[]).length + 1;
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  report.attempts++;
  const response = await deps.transport.send({
    url: webhook.url,
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'evidence-portal-webhooks/1',
      [signatureHeader]: signWebhookBody(webhook.secret, timestamp, body),
      'X-Evidence-Event-Id': String(claimed.eventId),
      'X-Evidence-Delivery-Attempt': String(attempt),
    },
  });
  const delivered = response.ok && response.status >= 200 && response.status < 300;
  const outcome: AttemptOutcome = {
    delivered,
    ...(response.status !== undefined ? { status: response.status } : {}),
    ...(!response.ok ? { error: response.error } : delivered ? {} : { error: `receiver answered ${response.status}` }),
  };
  const result = await settle(deps, claimed, outcome);
  if (result === 'superseded') {
    log.log('warn', 'webhook attempt outlived its lease; another worker owns the delivery', { attempt });
    return;
  }
  if (result === 'delivered') {
    report.delivered++;
    log.log('info', 'webhook delivered', { attempt, status: response.status });
    if (webhook.consecutiveFailures > 0) {
      await modifyWebhook(deps.store, owner, webhookId, (current) =>
        current.consecutiveFailures === 0 ? undefined : { ...current, consecutiveFailures: 0 },
      );
    }
    return;
  }
  if (result === 'retry') {
    report.retried++;
    log.log('warn', 'webhook attempt failed; will retry', { attempt, error: outcome.error });
    return;
  }
  report.failed++;
  log.log('warn', 'webhook delivery failed', { attempts: attempt, error: outcome.error });
  const updated = await modifyWebhook(deps.store, owner, webhookId, (current) => {
    const failures = current.consecutiveFailures + 1;
    const disable = current.enabled && failures >= policy.disableAfterConsecutiveFailures;
    return {
      ...current,
      consecutiveFailures: failures,
      enabled: current.enabled && !disable,
      ...(disable ? { disabledReason: `${failures} deliveries in a row failed` } : {}),
      updatedAt: deps.clock.now().toISOString(),
    };
  });
  if (!updated.enabled && webhook.enabled) {
    report.webhooksDisabled.push(webhookId);
    log.log('warn', 'webhook disabled after repeated failures', { consecutiveFailures: updated.consecutiveFailures });
  }
}

async function attemptEmail(deps: DeliveryWorkerDeps, claimed: Item, report: DeliveryReport): Promise<void> {
  let outcome: AttemptOutcome;
  try {
    await deps.email.send({ to: String(claimed.to), subject: String(claimed.subject), text: String(claimed.text) });
    outcome = { delivered: true };
  } catch (error) {
    outcome = { delivered: false, error: error instanceof Error ? error.message : String(error) };
  }
  const result = await settle(deps, claimed, outcome);
  if (result === 'delivered') report.emailsSent++;
  else if (result !== 'superseded') report.emailsFailed++;
}

/**
 * Access is asked again right before sending, because a retry may come long after the delivery was
 * created: the same rule (delivery-access.ts) over the entry re-read from the ledger.
 */
async function stillAllowed(access: DeliveryAccess | undefined, store: Store, claimed: Item): Promise<AccessVerdict> {
  if (!access) return { allowed: true };
  const entry = await readEntry(store, String(claimed.orgId), Number(claimed.seq));
  const kind = kindOfAction(entry?.action ?? '');
  if (!entry || !kind) return { allowed: false, reason: 'the ledger entry could not be read' };
  return access.mayReceive(String(claimed.userId), entry, kind);
}

/** Sends every delivery whose time has come (new ones are due at once, retries per their backoff). */
async function processDueDeliveries(
  deps: DeliveryWorkerDeps,
  policy: DeliveryPolicy,
  orgId: string,
  report: DeliveryReport,
  access: DeliveryAccess | undefined,
): Promise<void> {
  let handled = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(notificationKeys.dueIndex(orgId), {
      index: 'gsi1',
      skBetween: ['0', `${deps.clock.now().toISOString()}#~`],
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const item of page.items) {
      if (handled >= policy.maxDeliveriesPerRun) return;
      const claimed = await claim(deps, policy, item);
      if (!claimed) continue;
      handled++;
      const verdict = await stillAllowed(access, deps.store, claimed);
      if (!verdict.allowed) {
        // Not a failure of the receiver: it neither retries nor counts towards disabling a webhook.
        if ((await settle(deps, claimed, { delivered: false, skipped: true, error: verdict.reason })) === 'skipped') {
          report.withheld++;
        }
        continue;
      }
      if (claimed.channel === 'webhook') await attemptWebhook(deps, policy, claimed, report);
      else await attemptEmail(deps, claimed, report);
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * One run for one organization: new ledger entries become feed items and deliveries, then due
 * deliveries are attempted. Safe to run concurrently and to re-run after a crash.
 */
export async function deliverNotifications(deps: DeliveryWorkerDeps, orgId: string): Promise<DeliveryReport> {
  const policy = { ...defaultDeliveryPolicy, ...deps.policy };
  const report = emptyReport();
  const access = deps.authorizer ? new DeliveryAccess({ store: deps.store, authorizer: deps.authorizer }) : undefined;
  await processNewEntries(deps, policy, orgId, report, access);
  await processDueDeliveries(deps, policy, orgId, report, access);
  return report;
}

function addTo(totals: DeliveryReport, report: DeliveryReport): void {
  totals.entriesProcessed += report.entriesProcessed;
  totals.feedItems += report.feedItems;
  totals.webhookDeliveries += report.webhookDeliveries;
  totals.emails += report.emails;
  totals.attempts += report.attempts;
  totals.delivered += report.delivered;
  totals.retried += report.retried;
  totals.failed += report.failed;
  totals.webhooksDisabled.push(...report.webhooksDisabled);
  totals.emailsSent += report.emailsSent;
  totals.emailsFailed += report.emailsFailed;
  totals.withheld += report.withheld;
}

/** The timer's job: every organization that has at least one subscription. One org's failure is logged, not fatal. */
export async function deliverAllNotifications(
  deps: DeliveryWorkerDeps,
): Promise<{ orgs: number; failedOrgs: string[]; totals: DeliveryReport }> {
  const totals = emptyReport();
  const failedOrgs: string[] = [];
  let orgs = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(orgRegistryPartition, { skPrefix: 'ORG#', ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      const orgId = String(item.orgId);
      orgs++;
      try {
        const report = await deliverNotifications(deps, orgId);
        addTo(totals, report);
      } catch (error) {
        failedOrgs.push(orgId);
        deps.logger.log('error', 'notification delivery failed for an organization', {
          orgId,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { orgs, failedOrgs, totals };
}
