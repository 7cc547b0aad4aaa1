import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  type KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { keyAliases, tableSchema } from './table-schema.js';

/**
 * Idempotent creation of the table, buckets and keys for the local stack (in AWS the SST stacks
 * own them). A second run finds and reuses what the first created.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  const attributes = new Set<string>([tableSchema.partitionKey, tableSchema.sortKey]);
  for (const index of tableSchema.globalSecondaryIndexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    // Another process created it between our describe and create.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
    }),
  );
}

export async function ensureBuckets(client: S3Client, bucketNames: readonly string[]): Promise<void> {
  for (const bucket of bucketNames) {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  }
}

/** CORS for browser uploads to presigned URLs: the same rule the deployed reports bucket has (stacks/data.ts). */
export async function allowBrowserUploads(client: S3Client, bucket: string, origins: readonly string[]): Promise<void> {
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [...origins],
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-amz-sdk-checksum-algorithm'],
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 3600,
          },
        ],
      },
    }),
  );
}

export interface KeyArns {
  signingKeyArn: string;
  dataKeyArn: string;
}

async function ensureKey(
  client: KMSClient,
  alias: string,
  spec: { KeySpec: 'ECC_NIST_P256' | 'SYMMETRIC_DEFAULT'; KeyUsage: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' },
): Promise<string> {
  try {
    const found = await client.send(new DescribeKeyCommand({ KeyId: alias }));
    if (found.KeyMetadata?.Arn) return found.KeyMetadata.Arn;
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
  const created = await client.send(new CreateKeyCommand({ ...spec, Description: `evidence-portal ${alias}` }));
  const arn = created.KeyMetadata?.Arn;
  if (!arn) throw new Error(`CreateKey returned no ARN for ${alias}`);
  await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: arn }));
  return arn;
}

export async function ensureKeys(client: KMSClient): Promise<KeyArns> {
  return {
    signingKeyArn: await ensureKey(client, keyAliases.signing, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    dataKeyArn: await ensureKey(client, keyAliases.data, { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }),
  };
}
