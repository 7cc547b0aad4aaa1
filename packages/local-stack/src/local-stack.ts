import { join } from 'node:path';
import {
  allowBrowserUploads,
  type bucketNames,
  createAwsClients,
  ensureBuckets,
  ensureKeys,
  ensureTable,
  localCredentials,
} from '@evidence-portal/aws';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { startKmsServer } from './kms/kms-server.js';
import type { LocalStackInfo } from './local-stack-info.js';
import { startS3Local } from './s3-local.js';

export interface LocalStack {
  info: LocalStackInfo;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Persist everything under this directory (npm start); absent = in memory / temporary (tests). */
  dataDir?: string;
  tableName?: string;
  bucketPrefix?: string;
  /**
   * Browser origins of the web console (e.g. http://localhost:3000): the reports bucket answers their CORS
   * preflight, so the console can PUT a report version to its presigned URL, as the deployed bucket allows
   * the site origin (stacks/data.ts).
   */
  uploadOrigins?: readonly string[];
}

const region = 'us-east-1';

/**
 * DynamoDB Local + the local KMS server + s3rver, each on a free loopback port, with the table, keys
 * and buckets created idempotently. `stop()` ends every child; if starting fails half-way, what was
 * already started is stopped before the error propagates.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const stopOne of stoppers.reverse()) {
      try {
        await stopOne();
      } catch (error) {
        errors.push(error);
      }
    }
    stoppers.length = 0;
    if (errors.length) throw new AggregateError(errors, 'local stack did not stop cleanly');
  };
  const track = <T extends { stop(): Promise<void> }>(service: T): T => {
    stoppers.push(service.stop);
    return service;
  };
  try {
    const sub = (name: string) => (options.dataDir ? { dataDir: join(options.dataDir, name) } : {});
    const [dynamo, kms, s3] = await Promise.all([
      startDynamoDbLocal(sub('dynamodb')).then(track),
      startKmsServer(sub('kms')).then(track),
      startS3Local(sub('s3')).then(track),
    ]);
    const tableName = options.tableName ?? 'evidence-portal';
    const prefix = options.bucketPrefix ?? 'evidence-portal';
    const buckets = {
      reports: `${prefix}-reports`,
      bundles: `${prefix}-bundles`,
      checkpoints: `${prefix}-checkpoints`,
    } satisfies Record<(typeof bucketNames)[number], string>;
    const clients = createAwsClients({
      region,
      dynamodbEndpoint: dynamo.endpoint,
      kmsEndpoint: kms.endpoint,
      s3Endpoint: s3.endpoint,
      credentials: localCredentials,
    });
    const [, keys] = await Promise.all([
      ensureTable(clients.dynamodb, tableName),
      ensureKeys(clients.kms),
      ensureBuckets(clients.s3, Object.values(buckets)).then(() =>
        options.uploadOrigins?.length
          ? allowBrowserUploads(clients.s3, buckets.reports, options.uploadOrigins)
          : undefined,
      ),
    ]);
    clients.dynamodb.destroy();
    clients.kms.destroy();
    clients.s3.destroy();
    return {
      info: {
        region,
        dynamodbEndpoint: dynamo.endpoint,
        kmsEndpoint: kms.endpoint,
        s3Endpoint: s3.endpoint,
        tableName,
        buckets,
        ...keys,
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
