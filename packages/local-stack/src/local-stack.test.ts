import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { silentLogger } from '@evidence-portal/api';
import { type AwsClients, createAwsClients, DynamoStore, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import { seedDemoData } from '@evidence-portal/cli';
import {
  type BucketName,
  type Clock,
  composePortal,
  createLedger,
  createUlidGenerator,
  ManualClock,
  type Store,
} from '@evidence-portal/core';
import { afterAll, describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDbLocal } from './dynamodb-local.js';
import { startLocalStack } from './local-stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'evidence-portal-stack-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The demo seed's use cases, composed as every runtime composes them, over this stack. */
function seedDeps(store: Store, clients: AwsClients, buckets: Record<BucketName, string>, clock: Clock) {
  const ledger = createLedger({ store, clock });
  const blobs = new S3BlobStore(clients.s3, buckets);
  const portal = composePortal({ store, clock, ids: createUlidGenerator(clock), ledger, blobs, logger: silentLogger });
  return { ...portal, store, clock, logger: silentLogger };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local stack', () => {
  // Two JVM starts: minutes on a loaded 2-core machine. The timeout is a ceiling, not the thing under test.
  it('keeps table, keys, objects and the demo seed across a stop and a start (no duplicate seed)', {
    timeout: 240_000,
  }, async () => {
    const clock = new ManualClock(new Date('2026-01-02T03:04:05Z'));
    const first = await startLocalStack({ dataDir });
    let firstArns: [string, string];
    try {
      const clients = createAwsClients({
        region: first.info.region,
        dynamodbEndpoint: first.info.dynamodbEndpoint,
        kmsEndpoint: first.info.kmsEndpoint,
        s3Endpoint: first.info.s3Endpoint,
        credentials: localCredentials,
      });
      const store = new DynamoStore(clients.documents, first.info.tableName);
      expect(await seedDemoData(seedDeps(store, clients, first.info.buckets, clock))).toEqual({
        seeded: true,
        seededAt: '2026-01-02T03:04:05.000Z',
      });
      await clients.s3.send(
        new PutObjectCommand({ Bucket: first.info.buckets.reports, Key: 'kept.txt', Body: 'still here' }),
      );
      firstArns = [first.info.signingKeyArn, first.info.dataKeyArn];
    } finally {
      await first.stop();
    }

    clock.advance(60_000);
    const second = await startLocalStack({ dataDir });
    try {
      expect([second.info.signingKeyArn, second.info.dataKeyArn]).toEqual(firstArns);
      const clients = createAwsClients({
        region: second.info.region,
        dynamodbEndpoint: second.info.dynamodbEndpoint,
        kmsEndpoint: second.info.kmsEndpoint,
        s3Endpoint: second.info.s3Endpoint,
        credentials: localCredentials,
      });
      const store = new DynamoStore(clients.documents, second.info.tableName);
      expect(await seedDemoData(seedDeps(store, clients, second.info.buckets, clock))).toEqual({
        seeded: false,
        seededAt: '2026-01-02T03:04:05.000Z',
      });
      expect((await store.query('ORG#o-examplecorp', { skPrefix: 'ACCOUNT#' })).items).toHaveLength(5);
      const object = await clients.s3.send(
        new GetObjectCommand({ Bucket: second.info.buckets.reports, Key: 'kept.txt' }),
      );
      expect(await object.Body?.transformToString()).toBe('still here');
      const key = await clients.kms.send(new DescribeKeyCommand({ KeyId: 'alias/evidence-portal-signing' }));
      expect(key.KeyMetadata?.Arn).toBe(firstArns[0]);
      expect(createUlidGenerator(clock).newId()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    } finally {
      await second.stop();
    }
  });

  it('stops the DynamoDB Local JVM with the stack', { timeout: 120_000 }, async () => {
    const dynamo = await startDynamoDbLocal();
    const pid = dynamo.process.pid as number;
    expect(isAlive(pid)).toBe(true);
    await dynamo.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('fails at once with install instructions when Java is missing', async () => {
    await expect(startDynamoDbLocal({ javaCommand: 'java-not-installed-here' })).rejects.toBeInstanceOf(
      JavaMissingError,
    );
    await expect(startDynamoDbLocal({ javaCommand: 'java-not-installed-here' })).rejects.toThrow(
      /apt-get install -y openjdk-17-jre-headless/,
    );
  });
});
