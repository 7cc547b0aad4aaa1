import { randomUUID } from 'node:crypto';
import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import { AddressAllowList, createUlidGenerator, type Logger, ManualClock } from '@evidence-portal/core';
import { createLedger } from '../../packages/core/src/ledger/ledger.js';
import { freshTable } from '../support/app.js';
import { localStack } from '../support/context.js';

/** A logger that keeps what it is given, to assert on the local email adapter's output. */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const make = (base: Record<string, unknown>): Logger => ({
    log(level, message, fields) {
      lines.push({ level, message, fields: { ...base, ...fields } });
    },
    child(fields) {
      return make({ ...base, ...fields });
    },
  });
  return { logger: make({}), lines };
}

/** A fresh table, a hand-moved clock, the real ledger and an org of one's own. */
export async function notificationWorld() {
  const info = localStack();
  const tableName = await freshTable();
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  const store = new DynamoStore(clients.documents, tableName);
  const clock = new ManualClock(new Date('2026-06-01T00:00:00.000Z'));
  const ids = createUlidGenerator(clock);
  const ledger = createLedger({ store, clock });
  const orgId = `o-${randomUUID().slice(0, 8)}`;
  const urlPolicy = { stage: 'test', allowList: new AddressAllowList(['127.0.0.1']) };
  return { store, clock, ids, ledger, orgId, urlPolicy, tableName };
}
