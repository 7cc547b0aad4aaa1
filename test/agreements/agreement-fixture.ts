import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import {
  createLedger,
  createUlidGenerator,
  directoryKeys,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
  ManualClock,
  type Principal,
  type Store,
} from '@evidence-portal/core';
import { freshTable } from '../support/app.js';
import { localStack } from '../support/context.js';
import { testPortal } from '../support/portal.js';
import { testPrincipal } from '../support/principal.js';
import { CountingStore } from './counting-store.js';

export const managementAccount = '100000000001';
export const memberAccount = '100000000002';
export const operator = { orgId: 'o-operator', actor: { type: 'system' as const, id: 'publisher' } };

/** While `armed`, every DynamoDB transaction that writes a ledger entry fails (503): the ledger cannot record. */
export interface LedgerFaults {
  armed: boolean;
  injected: number;
}

export function dynamoStore(tableName: string, faults?: LedgerFaults): Store {
  const info = localStack();
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  if (faults) {
    clients.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: unknown };
        // Only transactions carrying a ledger item: an act's separate write would still get through.
        if (faults.armed && input.TransactItems && JSON.stringify(input.TransactItems).includes('"LEDGER#')) {
          faults.injected++;
          throw Object.assign(new Error('injected fault'), {
            name: 'ServiceUnavailable',
            $fault: 'server',
            $metadata: { httpStatusCode: 503 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'ledgerFaultInjection' },
    );
  }
  return new DynamoStore(clients.documents, tableName);
}

/** A ledger that gives up quickly on injected faults (a typed, retryable refusal). */
export const quickToGiveUp: Partial<LedgerOptions> = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

/**
 * The agreements service over the real DynamoDB Local store and the real ledger, with a manual clock.
 * The organization is written the way the org module stores it (org item + account items).
 */
export async function agreementFixture(
  options: { orgId?: string; tableName?: string; start?: string; faults?: LedgerFaults } = {},
) {
  const tableName = options.tableName ?? (await freshTable());
  const store = new CountingStore(dynamoStore(tableName, options.faults));
  const clock = new ManualClock(new Date(options.start ?? '2026-01-01T00:00:00.000Z'));
  const ledger: Ledger = createLedger({ store, clock, ...(options.faults ? quickToGiveUp : {}) });
  const service = testPortal({ store, clock, ids: createUlidGenerator(clock), ledger }).agreements;
  const orgId = options.orgId ?? 'o-customer';

  async function createOrg(accounts: string[] = [memberAccount], id = orgId) {
    const now = clock.now().toISOString();
    await store.put({
      ...directoryKeys.org(id),
      type: 'Organization',
      orgId: id,
      managementAccountId: managementAccount,
    });
    for (const accountId of [managementAccount, ...accounts]) await addAccount(accountId, id, now);
  }
  async function addAccount(accountId: string, id = orgId, at = clock.now().toISOString()) {
    await store.put({ ...directoryKeys.account(id, accountId), type: 'Account', accountId, joinedAt: at });
    await service.onAccountJoined(id, accountId, at);
  }
  /** What the org module's removeAccount does to the directory, then the agreements hook. */
  async function removeAccount(accountId: string, id = orgId) {
    const at = clock.now().toISOString();
    await store.delete(directoryKeys.account(id, accountId));
    return service.onAccountLeft(id, accountId, at);
  }
  async function entries(id = orgId): Promise<LedgerEntry[]> {
    const all: LedgerEntry[] = [];
    for await (const entry of ledger.entries(id)) all.push(entry);
    return all;
  }
  function principal(overrides: Partial<Principal> = {}): Principal {
    return testPrincipal({ orgId, accountId: managementAccount, mfaPresent: true, ...overrides });
  }
  async function publishBaa(name = 'HIPAA BAA') {
    const agreement = await service.createAgreement(
      { name, type: 'BAA', subjects: ['account', 'organization'] },
      operator,
    );
    const revision = await service.publishRevision(
      agreement.agreementId,
      { effectiveDate: '2026-01-01', markdown: '# Business Associate Addendum\n\nRevision 1.' },
      operator,
    );
    return { agreement, revision };
  }
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  return {
    tableName,
    store,
    clock,
    ledger,
    service,
    orgId,
    createOrg,
    addAccount,
    removeAccount,
    entries,
    principal,
    publishBaa,
    advance,
  };
}
