import { randomUUID } from 'node:crypto';
import {
  type AppDeps,
  buildDeps,
  createApp,
  loadConfig,
  localStackEnvironment,
  silentLogger,
} from '@evidence-portal/api';
import { createAwsClients, ensureBuckets, ensureTable, localCredentials } from '@evidence-portal/aws';
import { localStack } from './context.js';
import { checkResponses, type OpenApiDocument } from './response-contract.js';

/** The environment a deployment would have, pointed at the test's loopback stack. */
export function localEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...localStackEnvironment(localStack(), { stage: 'test', siteOrigin: 'http://localhost:3000' }),
    ...overrides,
  };
}

/** A fresh, empty table of the real schema, so a test's writes are its own. */
export async function freshTable(): Promise<string> {
  const info = localStack();
  const tableName = `test-${randomUUID()}`;
  const { dynamodb } = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  await ensureTable(dynamodb, tableName);
  dynamodb.destroy();
  return tableName;
}

/**
 * A fresh, empty checkpoints bucket. Ledger verification cross-checks the table's checkpoints against
 * the bucket's objects (`<org>/<size>.json`), so test files that share the stack's bucket would see
 * each other's checkpoints for the same org ids; a fresh table gets a fresh bucket.
 */
export async function freshCheckpointsBucket(): Promise<string> {
  const info = localStack();
  const bucket = `checkpoints-${randomUUID()}`;
  const { s3 } = createAwsClients({ region: info.region, s3Endpoint: info.s3Endpoint, credentials: localCredentials });
  await ensureBuckets(s3, [bucket]);
  s3.destroy();
  return bucket;
}

/** The real app over the real adapters against the loopback stack, built by the same composition code. */
export async function createTestApp(
  options: { tableName?: string; overrides?: Partial<AppDeps>; environment?: Record<string, string> } = {},
) {
  const tableName = options.tableName ?? (await freshTable());
  const checkpoints = options.environment?.PORTAL_CHECKPOINTS_BUCKET ?? (await freshCheckpointsBucket());
  const config = loadConfig(
    localEnvironment({ PORTAL_TABLE_NAME: tableName, PORTAL_CHECKPOINTS_BUCKET: checkpoints, ...options.environment }),
  );
  const deps = buildDeps(config, { logger: silentLogger, ...options.overrides });
  const app = createApp(deps);
  // Every JSON answer a test receives is held to the route's declared schema (no undeclared keys).
  checkResponses(app, async () => (await app.request('/api/openapi.json')).json() as Promise<OpenApiDocument>);
  return { app, deps, config, tableName };
}
