/**
 * Agreements at scale, against DynamoDB Local (the real adapter): items written by an org-wide
 * acceptance in an org of 10,000 accounts versus a naive fan-out of one item per account, the Store
 * calls of one coverage answer, and the Store calls of the coverage matrix for 1,000 accounts × 5
 * agreements versus 100 × 5 and versus asking account by account. Ratios are measured in this run.
 *
 *   npx tsx bench/agreements.ts [accounts=10000]
 */
import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import {
  type Authorizer,
  createAgreements,
  createLedger,
  createUlidGenerator,
  directoryKeys,
  type Item,
  principalCaller,
  StoreMembershipHistory,
  systemActor,
  systemCaller,
  systemClock,
} from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';
import { memoryBlobs } from '../test/agreements/agreement-fixture.js';
import { CountingStore } from '../test/agreements/counting-store.js';

const orgSize = Number(process.argv[2] ?? 10_000);
const matrixSizes = [100, 1_000];
const agreementsInMatrix = 5;
const management = '900000000000';
const publisher = systemCaller('o-operator', 'bench');
/** The bench measures Store calls of the agreements use cases, not policy evaluation: every act is allowed. */
const allowAll: Authorizer = {
  authorize: async () => ({ decision: 'Allow', reason: 'bench', matchedStatements: [] }),
};

const accountId = (n: number) => String(900000000000 + n);

async function writeInBatches(store: CountingStore, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 100) {
    await store.transact(items.slice(i, i + 100).map((item) => ({ kind: 'put' as const, item })));
  }
}

async function createOrg(store: CountingStore, orgId: string, size: number): Promise<void> {
  const joinedAt = new Date(Date.now() - 60_000).toISOString();
  await store.put({ ...directoryKeys.org(orgId), type: 'Organization', orgId, managementAccountId: management });
  await writeInBatches(
    store,
    Array.from({ length: size }, (_, n) => ({
      ...directoryKeys.account(orgId, accountId(n)),
      type: 'Account',
      accountId: accountId(n),
      joinedAt,
    })),
  );
}

const stack = await startLocalStack();
try {
  const info = stack.info;
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  const store = new CountingStore(new DynamoStore(clients.documents, info.tableName));
  const ledger = createLedger({ store, clock: systemClock });
  const service = createAgreements({
    store,
    clock: systemClock,
    ids: createUlidGenerator(systemClock),
    ledger,
    membership: new StoreMembershipHistory(store),
    authorizer: allowAll,
    // The bench publishes markdown revisions only: no PDF is read back.
    blobs: memoryBlobs(),
  });
  const principal = (orgId: string) =>
    principalCaller({
      orgId,
      accountId: management,
      userId: 'u-bench',
      email: 'bench@example.com',
      displayName: 'Bench',
      sessionId: 's-bench',
      mfaPresent: true,
      tags: {},
    });
  const publish = async (name: string) => {
    const agreement = await service.create(publisher, { name, type: 'BAA', subjects: ['account', 'organization'] });
    const revision = await service.publishRevision(publisher, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-01-01',
      markdown: name,
    });
    return { agreementId: agreement.agreementId, revisionId: revision.revisionId };
  };

  // 1. Org-wide acceptance in a large org, against a naive fan-out of one acceptance item per account.
  const bigOrg = 'o-bench-big';
  await createOrg(store, bigOrg, orgSize);
  await ledger.append({
    orgId: bigOrg,
    actor: systemActor('bench'),
    action: 'org:Created',
    subject: 'arn:portal:bench',
  });
  const baa = await publish('HIPAA BAA');
  store.reset();
  let started = performance.now();
  await service.accept(principal(bigOrg), {
    agreementId: baa.agreementId,
    scope: 'organization',
    revisionId: baa.revisionId,
  });
  const acceptMs = performance.now() - started;
  const acceptItems = store.itemsWritten;
  const acceptCalls = store.calls;

  store.reset();
  started = performance.now();
  await writeInBatches(
    store,
    Array.from({ length: orgSize }, (_, n) => ({
      pk: `NAIVE#${bigOrg}`,
      sk: `${baa.agreementId}#${accountId(n)}`,
      revisionId: baa.revisionId,
      acceptedAt: new Date().toISOString(),
    })),
  );
  const naiveMs = performance.now() - started;
  const naiveItems = store.itemsWritten;

  // 2. Coverage of one account for one agreement.
  store.reset();
  const coverage = await service.coverage(principal(bigOrg), {
    accountId: accountId(orgSize - 1),
    agreementId: baa.agreementId,
  });
  const coverageCalls = store.calls;

  // 3. The coverage matrix at two org sizes, against asking account by account.
  const matrixRows: string[] = [];
  const matrixCalls: number[] = [];
  for (const size of matrixSizes) {
    const orgId = `o-bench-matrix-${size}`;
    await createOrg(store, orgId, size);
    for (let a = 0; a < agreementsInMatrix; a++) {
      const agreement = await publish(`Matrix agreement ${size}-${a}`);
      if (a % 2 === 0) {
        await service.accept(principal(orgId), {
          agreementId: agreement.agreementId,
          scope: 'organization',
          revisionId: agreement.revisionId,
        });
      }
    }
    store.reset();
    started = performance.now();
    const matrix = await service.matrix(principal(orgId), {});
    const ms = performance.now() - started;
    matrixCalls.push(store.calls);
    matrixRows.push(
      `  ${String(size).padStart(5)} accounts × ${matrix.agreements.length} agreements (catalog incl. earlier ones): ` +
        `${store.calls} Store calls (${JSON.stringify(store.byMethod)}), ${ms.toFixed(0)} ms; ` +
        `account-by-account would be ${size * agreementsInMatrix * 2} calls`,
    );
  }

  console.log(`Agreements bench (DynamoDB Local), org of ${orgSize} accounts`);
  console.log(
    `  org-wide acceptance: ${acceptItems} items written in ${acceptCalls} Store calls (${acceptMs.toFixed(0)} ms), ` +
      `incl. the ledger entry`,
  );
  console.log(`  naive fan-out baseline: ${naiveItems} items written (${naiveMs.toFixed(0)} ms)`);
  console.log(`  ratio items naive / one record: ${(naiveItems / acceptItems).toFixed(0)}x`);
  console.log(
    `  coverage of one account for one agreement: ${coverageCalls} Store calls -> ${JSON.stringify(coverage)}`,
  );
  for (const row of matrixRows) console.log(row);
  console.log(
    `  matrix calls ratio ${matrixSizes[1]} vs ${matrixSizes[0]} accounts: ${((matrixCalls[1] ?? 0) / (matrixCalls[0] ?? 1)).toFixed(2)}x ` +
      '(grows only with DynamoDB pages, 1 MB each)',
  );
  clients.dynamodb.destroy();
} finally {
  await stack.stop();
}
