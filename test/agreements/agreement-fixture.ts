import { Readable } from 'node:stream';
import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import {
  type Authorizer,
  type BlobStore,
  type Coverage,
  createAgreements,
  createLedger,
  createUlidGenerator,
  directoryKeys,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
  ManualClock,
  NotFoundError,
  type Principal,
  principalCaller,
  type Store,
  StoreMembershipHistory,
  systemCaller,
} from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { freshTable } from '../support/app.js';
import { localStack } from '../support/context.js';
import { allowAllAuthorizer, testPrincipal } from '../support/principal.js';
import { CountingStore } from './counting-store.js';

export const managementAccount = '100000000001';
export const memberAccount = '100000000002';
/** The portal operator's organization publishes the catalog (trusted code, as the demo seed does). */
export const operator = systemCaller('o-operator', 'publisher');

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

/** The reports bucket as the agreements use cases read it (uploaded PDF revisions), in memory. */
export function memoryBlobs(): BlobStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const missing = (key: string) => new NotFoundError(`No object ${key}.`);
  return {
    objects,
    async put(bucket, key, body) {
      if (!(body instanceof Uint8Array)) throw new Error('memoryBlobs stores byte arrays only');
      objects.set(`${bucket}/${key}`, body);
    },
    async get(bucket, key) {
      const body = objects.get(`${bucket}/${key}`);
      if (!body) throw missing(key);
      return { body: Readable.from([body]), contentLength: body.byteLength };
    },
    async head(bucket, key) {
      const body = objects.get(`${bucket}/${key}`);
      return body ? { contentLength: body.byteLength } : undefined;
    },
    async delete(bucket, key) {
      objects.delete(`${bucket}/${key}`);
    },
    async *list(bucket, prefix) {
      for (const key of [...objects.keys()].sort()) {
        if (key.startsWith(`${bucket}/${prefix}`)) yield key.slice(bucket.length + 1);
      }
    },
    presignGet: async () => {
      throw new Error('memoryBlobs does not presign');
    },
    presignPut: async () => {
      throw new Error('memoryBlobs does not presign');
    },
    ping: async () => {},
  };
}

/** A ledger that gives up quickly on injected faults (a typed, retryable refusal). */
export const quickToGiveUp: Partial<LedgerOptions> = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

/**
 * The agreements use cases over a store of the test's choice — in memory (use-case tests beside the
 * code, no Java) or DynamoDB Local (adapter, concurrency, fault and budget tests) — with the real
 * ledger, a manual clock and, unless the test is about authorization, an allow-all authorizer. The
 * organization is written the way the org module stores it (org item + account items).
 */
export async function agreementFixture(
  options: {
    store?: 'memory' | 'dynamo';
    orgId?: string;
    tableName?: string;
    start?: string;
    faults?: LedgerFaults;
    authorizer?: Authorizer;
  } = {},
) {
  const onDynamo = options.store === 'dynamo' || options.faults !== undefined || options.tableName !== undefined;
  const tableName = onDynamo ? (options.tableName ?? (await freshTable())) : undefined;
  const store = new CountingStore(tableName ? dynamoStore(tableName, options.faults) : new MemoryStore());
  const clock = new ManualClock(new Date(options.start ?? '2026-01-01T00:00:00.000Z'));
  const ledger: Ledger = createLedger({ store, clock, ...(options.faults ? quickToGiveUp : {}) });
  const blobs = memoryBlobs();
  const service = createAgreements({
    store,
    clock,
    ids: createUlidGenerator(clock),
    ledger,
    membership: new StoreMembershipHistory(store),
    authorizer: options.authorizer ?? allowAllAuthorizer,
    blobs,
  });
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
  /** A signed-in caller of the organization (the management account's admin, with MFA, by default). */
  function caller(overrides: Partial<Principal> = {}, origin: { sourceIp?: string; userAgent?: string } = {}) {
    return principalCaller(principal(overrides), origin);
  }
  async function publishBaa(name = 'HIPAA BAA') {
    const agreement = await service.create(operator, { name, type: 'BAA', subjects: ['account', 'organization'] });
    const revision = await service.publishRevision(operator, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-01-01',
      markdown: '# Business Associate Addendum\n\nRevision 1.',
    });
    return { agreement, revision };
  }
  /** Coverage as the organization's admin asks it, without the echoed instant. */
  async function coverageOf(accountId: string, agreementId: string, at?: string): Promise<Coverage> {
    const { at: _at, ...answer } = await service.coverage(caller(), {
      accountId,
      agreementId,
      ...(at ? { at } : {}),
    });
    return answer;
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
    caller,
    blobs,
    publishBaa,
    coverageOf,
    advance,
  };
}
