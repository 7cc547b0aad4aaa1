/**
 * Agreements at scale, against DynamoDB Local (the real adapter): items written by an org-wide
 * acceptance in an org of 10,000 accounts versus a naive fan-out of one item per account, the Store
 * calls of one coverage answer, and the Store calls of the coverage matrix for 1,000 accounts × 5
 * agreements versus 100 × 5 and versus asking account by account. Ratios are measured in this run.
 *
 *   npx tsx bench/agreements.ts [accounts=10000]
 */
import { silentLogger } from '@evidence-portal/api';
import { createAwsClients, DynamoStore, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import {
  composePortal,
  createLedger,
  createUlidGenerator,
  directoryKeys,
  type Item,
  type Principal,
  systemClock,
} from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';
import { CountingStore } from '../test/agreements/counting-store.js';

const orgSize = Number(process.argv[2] ?? 10_000);
const matrixSizes = [100, 1_000];
const agreementsInMatrix = 5;
const management = '900000000000';
const publisher = { orgId: 'o-operator', actor: { type: 'system' as const, id: 'bench' } };

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
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
  const store = new CountingStore(new DynamoStore(clients.documents, info.tableName));
  const ledger = createLedger({ store, clock: systemClock });
  const service = composePortal({
    store,
    clock: systemClock,
    ids: createUlidGenerator(systemClock),
    ledger,
    blobs: new S3BlobStore(clients.s3, info.buckets),
    logger: silentLogger,
  }).agreements;
  const principal = (orgId: string): Principal => ({
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
    const agreement = await service.createAgreement(
      { name, type: 'BAA', subjects: ['account', 'organization'] },
      publisher,
    );
    const revision = await service.publishRevision(
      agreement.agreementId,
      { effectiveDate: '2026-01-01', markdown: name },
      publisher,
    );
    return { agreementId: agreement.agreementId, revisionId: revision.revisionId };
  };

  // 1. Org-wide acceptance in a large org, against a naive fan-out of one acceptance item per account.
  const bigOrg = 'o-bench-big';
  await createOrg(store, bigOrg, orgSize);
  await ledger.append({ orgId: bigOrg, actor: publisher.actor, action: 'org:Created', subject: 'arn:portal:bench' });
  const baa = await publish('HIPAA BAA');
  store.reset();
  let started = performance.now();
  await service.accept(baa.agreementId, { scope: 'organization', revisionId: baa.revisionId }, principal(bigOrg));
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
  const coverage = await service.coverage(bigOrg, accountId(orgSize - 1), baa.agreementId, new Date().toISOString());
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
        await service.accept(
          agreement.agreementId,
          { scope: 'organization', revisionId: agreement.revisionId },
          principal(orgId),
        );
      }
    }
    store.reset();
    started = performance.now();
    const matrix = await service.matrix(orgId, new Date().toISOString());
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
