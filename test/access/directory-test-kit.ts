import { type AppDeps, silentLogger } from '@evidence-portal/api';
import {
  changesAccessData,
  composePortal,
  createUlidGenerator,
  type DirectoryDeps,
  type Ledger,
  type LedgerAppendInput,
  type LedgerEntry,
  type LedgerWriter,
  type Logger,
  ledgerKeys,
  ManualClock,
  noteAccessChange,
  type Portal,
  type Store,
  totpCode,
} from '@evidence-portal/core';
import { createTestApp } from '../support/app.js';

/**
 * A ledger that keeps what it is given, so tests can assert which acts were recorded. Like the real
 * one, it commits an act's own writes (`alsoWrite`) in one transaction and records only acts that
 * landed, and an act that changes access data advances the organization's access stamp (the head's
 * `accessSeq`) in that transaction; give it the store they go to.
 */
export type RecordingLedger = LedgerWriter & Pick<Ledger, 'list'> & { entries: LedgerAppendInput[]; store?: Store };

export function recordingLedger(store?: Store): RecordingLedger {
  const entries: LedgerAppendInput[] = [];
  const recorded: LedgerEntry[] = [];
  const ledger: RecordingLedger = {
    entries,
    ...(store ? { store } : {}),
    async append(input): Promise<LedgerEntry> {
      const changesAccess = changesAccessData(input.orgId, input.action, input.alsoWrite ?? []);
      if (input.alsoWrite?.length) {
        if (!ledger.store) throw new Error('recordingLedger: an act with writes needs the store');
        const stamp = changesAccess
          ? [{ kind: 'put' as const, item: { ...ledgerKeys.head(input.orgId), seq: 0, accessSeq: entries.length + 1 } }]
          : [];
        // Its failed conditions index the list itself, as the real ledger's do (the stamp goes last).
        await ledger.store.transact([...input.alsoWrite, ...stamp]);
      }
      if (changesAccess) noteAccessChange();
      entries.push(input);
      const { alsoWrite: _writes, requestToken: _token, ...fields } = input;
      const entry = {
        ...fields,
        seq: entries.length,
        time: new Date().toISOString(),
        details: input.details ?? {},
        leaf: '',
      };
      recorded.push(entry);
      return entry;
    },
    // Newest first with the real ledger's filters (the agreements module looks up account joins).
    async list(orgId, query = {}) {
      const items = recorded
        .filter(
          (entry) =>
            entry.orgId === orgId &&
            (query.action === undefined || entry.action === query.action) &&
            (query.accountId === undefined || entry.accountId === query.accountId),
        )
        .reverse()
        .slice(0, query.limit ?? 50);
      return { items };
    },
  };
  return ledger;
}

export const startOfTest = new Date('2026-03-02T09:00:00Z');

/**
 * Core use cases composed over a fresh table of the real loopback DynamoDB, a manual clock and a
 * recording ledger (`portal`), with the ports they were built from.
 */
export async function directoryTestDeps(): Promise<
  DirectoryDeps & { clock: ManualClock; ledger: RecordingLedger; portal: Portal }
> {
  const clock = new ManualClock(startOfTest);
  const { deps } = await createTestApp({ overrides: { clock } });
  const ports = { store: deps.store, clock, ids: createUlidGenerator(clock), ledger: recordingLedger(deps.store) };
  return { ...ports, portal: composePortal({ ...ports, blobs: deps.blobs, logger: silentLogger }) };
}

/** The real app (real adapters, real AccessService) on a fresh table with a manual clock. */
export async function accessTestApp(overrides: Partial<AppDeps> = {}) {
  const clock = new ManualClock(startOfTest);
  const ledger = recordingLedger();
  const made = await createTestApp({
    overrides: { clock, ledger: ledger as unknown as AppDeps['ledger'], ...overrides },
  });
  ledger.store = made.deps.store;
  return { ...made, clock, ledger };
}

/** JSON request helpers for route tests. */
export function requester(app: { request(url: string, init?: RequestInit): Response | Promise<Response> }) {
  return async (
    method: string,
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
      body: text ? (JSON.parse(text) as Record<string, any>) : {},
    };
  };
}

/** A TOTP code for a step offset from now (0: current). */
export function codeAt(secret: string, clock: ManualClock, stepOffset = 0): string {
  return totpCode(secret, new Date(clock.now().getTime() + stepOffset * 30_000));
}

/** A logger that keeps every line (with the fields of its children), for asserting on logged mail and denials. */
export function capturingLogger(): Logger & {
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const make = (base: Record<string, unknown>): Logger => ({
    log(level, message, fields) {
      lines.push({ level, message, fields: { ...base, ...fields } });
    },
    child(fields) {
      return make({ ...base, ...fields });
    },
  });
  return Object.assign(make({}), { lines });
}
