import { createHash } from 'node:crypto';
import { ledgerArn } from '../access/resources.js';
import { ConditionFailedError } from '../errors.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { Item, ItemValue, Store } from '../ports/store.js';
import type { IntegrityFault } from './integrity-fault.js';
import { ledgerKeys } from './ledger-keys.js';
import type { LedgerAppendInput, LedgerEntry } from './ledger-writer.js';

/** Who found the fault. */
export type IntegrityDetector = 'checkpoint' | 'verify' | 'append' | 'read';

/** An open (or resolved) integrity alert of one ledger, as `/api/health` shows it to admins. */
export interface IntegrityAlert {
  orgId: string;
  status: 'open' | 'resolved';
  kind: IntegrityFault['kind'];
  reason: string;
  firstBadSeq?: number;
  detectedBy: IntegrityDetector;
  firstDetectedAt: string;
  lastDetectedAt: string;
  /** Runs that found it since it opened. */
  detections: number;
  resolvedAt?: string;
}

/**
 * The operator-facing half of an alert (a port): the AWS adapter emits the `IntegrityAlert`
 * CloudWatch metric that the stacks' alarm watches.
 */
export interface IntegrityAlarm {
  raise(alert: IntegrityAlert): void;
}

export const integrityAlertAction = 'ledger:IntegrityAlert';

export interface IntegrityAlertsDeps {
  store: Store;
  clock: Clock;
  logger?: Logger;
  alarm?: IntegrityAlarm;
  append: (input: LedgerAppendInput) => Promise<LedgerEntry>;
}

function toAlert(item: Item): IntegrityAlert {
  return JSON.parse(String(item.alert)) as IntegrityAlert;
}

/**
 * An integrity fault is an alarm, never a silent success: raising one logs at error level, emits the
 * metric the stacks alarm on, records the open alert (health reads it) and, once per distinct fault,
 * appends a `ledger:IntegrityAlert` entry, from which the notifications module tells the org's
 * subscribers who may read the ledger. When the fault is the head itself (appends refused), no entry
 * can be appended: the alert record, log and metric still fire.
 */
export function createIntegrityAlerts(deps: IntegrityAlertsDeps) {
  const { store, clock } = deps;

  async function open(orgId: string): Promise<IntegrityAlert | undefined> {
    const item = await store.get(ledgerKeys.integrityAlert(orgId), { consistent: true });
    const alert = item ? toAlert(item) : undefined;
    return alert?.status === 'open' ? alert : undefined;
  }

  async function save(orgId: string, alert: IntegrityAlert, version: number | undefined): Promise<boolean> {
    try {
      await store.put(
        { ...ledgerKeys.integrityAlert(orgId), alert: JSON.stringify(alert), version: (version ?? 0) + 1 },
        version === undefined ? { kind: 'notExists' } : { kind: 'equals', attribute: 'version', value: version },
      );
      return true;
    } catch (error) {
      // Another run recorded it at the same moment; its record stands.
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async function raise(orgId: string, faults: readonly IntegrityFault[], detectedBy: IntegrityDetector) {
    const fault = faults[0];
    if (!fault) return;
    const now = clock.now().toISOString();
    const firstBadSeq = faults.flatMap((f) => (f.seq !== undefined ? [f.seq] : [])).sort((a, b) => a - b)[0];
    deps.logger?.log('error', 'ledger integrity alert', {
      orgId,
      kind: fault.kind,
      reason: fault.reason,
      ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
      detectedBy,
      faults: faults.length,
    });
    const item = await store.get(ledgerKeys.integrityAlert(orgId), { consistent: true });
    const previous = item ? toAlert(item) : undefined;
    const same = previous?.status === 'open' && previous.kind === fault.kind && previous.reason === fault.reason;
    const alert: IntegrityAlert = same
      ? { ...previous, lastDetectedAt: now, detections: previous.detections + 1 }
      : {
          orgId,
          status: 'open',
          kind: fault.kind,
          reason: fault.reason,
          ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
          detectedBy,
          firstDetectedAt: now,
          lastDetectedAt: now,
          detections: 1,
        };
    deps.alarm?.raise(alert);
    const recorded = await save(orgId, alert, item ? Number(item.version) : undefined);
    if (same || !recorded || detectedBy === 'append') return;
    const fingerprint = createHash('sha256').update(`${fault.kind}\n${fault.reason}`).digest('hex').slice(0, 32);
    const details: Record<string, ItemValue> = {
      detectedBy,
      faults: faults.slice(0, 5).map((f) => ({ ...f }) as unknown as ItemValue),
    };
    // One entry per distinct fault (the token), so repeated runs do not grow the ledger.
    await deps
      .append({
        orgId,
        actor: { type: 'system', id: 'ledger-integrity' },
        action: integrityAlertAction,
        subject: ledgerArn(orgId),
        details,
        requestToken: `integrity-alert-${fingerprint}`,
      })
      .catch((error: unknown) => {
        deps.logger?.log('error', 'ledger integrity alert could not be recorded in the ledger', {
          orgId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }

  /** A full verification passed again: the open alert (if any) is marked resolved, not deleted. */
  async function resolve(orgId: string): Promise<void> {
    const item = await store.get(ledgerKeys.integrityAlert(orgId), { consistent: true });
    if (!item) return;
    const alert = toAlert(item);
    if (alert.status !== 'open') return;
    const resolvedAt = clock.now().toISOString();
    if (await save(orgId, { ...alert, status: 'resolved', resolvedAt }, Number(item.version))) {
      deps.logger?.log('warn', 'ledger integrity alert resolved: the ledger verifies again', {
        orgId,
        kind: alert.kind,
      });
    }
  }

  return { raise, resolve, open };
}

export type IntegrityAlerts = ReturnType<typeof createIntegrityAlerts>;
