/**
 * The single-table design, in one place: the local provisioning (packages/local-stack) and the SST
 * data stack (stacks/data.ts) both build the table from these names, so they cannot drift apart.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Sparse secondary indexes, projecting all attributes. */
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Epoch seconds; DynamoDB deletes expired items (sessions, term tokens, idempotency records). */
  timeToLiveAttribute: 'ttl',
} as const;

/** Logical bucket names used by core, and the suffix each real bucket gets. */
export const bucketNames = ['reports', 'bundles', 'checkpoints'] as const;

/** Aliases the KMS keys are found by, locally and in AWS. */
export const keyAliases = {
  signing: 'alias/evidence-portal-signing',
  data: 'alias/evidence-portal-data',
} as const;
