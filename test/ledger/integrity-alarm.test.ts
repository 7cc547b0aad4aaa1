import { type AppDeps, createApp } from '@evidence-portal/api';
import { type Authorizer, checkpointAllLedgers, LedgerIntegrityFaultError } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { asPrincipal, testPrincipal } from '../support/principal.js';
import { buildScenario, entryKey, orgId, type Scenario, tamperable } from './tamper-kit.js';

/** Counts the TransactWriteItems calls the app's DynamoDB client sends (DynamoStore keeps it as `documents`). */
function countTransactions(deps: AppDeps) {
  const counter = { count: 0 };
  const client = (deps.store as unknown as { documents: { middlewareStack: { add: (...args: unknown[]) => void } } })
    .documents;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: { input: { TransactItems?: unknown } }) => {
      if (args.input.TransactItems) counter.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countTransactionsForIntegrity' },
  );
  return counter;
}

const newPolicy = (name: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name,
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'portal:ListReports', Resource: '*' }] },
  }),
});

describe('integrity faults are alarms', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario();
  });

  it('refuses an act against a rolled-back head at once (one transaction), 503 naming the fault', async () => {
    const t = await tamperable(scenario);
    await t.raw.setHead(14);
    const transactions = countTransactions(t.deps);

    const direct = await t.deps.ledger
      .append({ orgId, actor: { type: 'system', id: 'test' }, action: 'test:Act', subject: 's' })
      .catch((error: unknown) => error);
    const viaApi = await t.mine.request('/api/org/policies', newPolicy('p-after-rollback'));

    expect(direct).toBeInstanceOf(LedgerIntegrityFaultError);
    expect(direct).toMatchObject({ code: 'ledger_integrity_fault', fault: { kind: 'head_mismatch', seq: 15 } });
    // One attempt each, not ~16 s of retries ending in a misleading 409.
    expect(transactions.count).toBe(2);
    expect(viaApi.status).toBe(503);
    expect(await viaApi.json()).toMatchObject({ code: 'ledger_integrity_fault', fault: { kind: 'head_mismatch' } });
    expect(await t.deps.ledger.integrityAlert(orgId)).toMatchObject({ status: 'open', detectedBy: 'append' });
    expect(t.log.lines.some((line) => line.level === 'error' && line.message === 'ledger integrity alert')).toBe(true);
    // The act changed nothing: no policy was stored, the head is where the tampering put it.
    expect(await t.raw.get('HEAD')).toMatchObject({ seq: 14 });
  });

  it('shows the alert in /api/health to callers who may verify the ledger, and to no one else', async () => {
    const t = await tamperable(scenario);
    const before = await (await t.mine.request('/api/health')).json();
    await t.raw.delete(entryKey(5));
    await t.mine.request('/api/ledger/verify');

    const admin = await (await t.mine.request('/api/health')).json();
    const anonymous = (await (await t.app.request('/api/health')).json()) as { details?: unknown };
    const denying: Authorizer = {
      async authorize() {
        return { decision: 'ImplicitDeny', reason: 'test', matchedStatements: [] };
      },
    };
    const plain = asPrincipal(createApp({ ...t.deps, authorizer: denying }), testPrincipal({ orgId }));
    const notAllowed = (await (await plain.request('/api/health')).json()) as { details?: unknown };

    expect(before).toMatchObject({ status: 'ok', details: { ledger: { integrity: 'ok' } } });
    expect(admin).toMatchObject({
      status: 'ok',
      details: {
        ledger: { integrity: 'alert', alert: { kind: 'entry_missing', firstBadSeq: 5, detectedBy: 'verify' } },
      },
    });
    expect(anonymous.details).toBeUndefined();
    expect(notAllowed.details).toBeUndefined();
  });

  it('records one alert entry per distinct fault however often it is found, and resolves once the ledger verifies again', async () => {
    const t = await tamperable(scenario);
    const original = await t.raw.get(entryKey(5));
    await t.raw.put({ ...original, approvedBy: 'nobody' });

    await t.mine.request('/api/ledger/verify');
    await t.mine.request('/api/ledger/verify');
    const refused = await checkpointAllLedgers({ ledger: t.deps.ledger });
    // The newest entries only: a listing reads strictly and refuses the tampered entry 5 itself.
    const alerts = (await t.deps.ledger.list(orgId, { limit: 5 })).items.filter(
      (e) => e.action === 'ledger:IntegrityAlert',
    );
    const open = await t.deps.ledger.integrityAlert(orgId);

    expect(refused).toMatchObject({ refused: 1, signed: 0 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ detectedBy: 'verify', faults: [{ kind: 'entry_malformed', seq: 5 }] });
    expect(open).toMatchObject({ status: 'open', detections: 3 });

    // Restored from a backup: the next run verifies, resolves the alert and signs again.
    await t.raw.put(original);
    const restored = await checkpointAllLedgers({ ledger: t.deps.ledger });
    expect(restored).toMatchObject({ signed: 1, refused: 0 });
    expect(await t.deps.ledger.integrityAlert(orgId)).toBeUndefined();
    const health = (await (await t.mine.request('/api/health')).json()) as { details?: unknown };
    expect(health.details).toEqual({ ledger: { integrity: 'ok' } });
  });
});
