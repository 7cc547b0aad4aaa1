import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type LifecycleRule,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { type StackContext, use } from 'sst/constructs';
import { type bucketNames, tableSchema } from '../packages/aws/src/table-schema.js';
import { Keys } from './keys.js';
import { Monitoring } from './monitoring.js';
import { isProduction, isProtectedStage } from './settings.js';
import { Web } from './web.js';

type BucketName = (typeof bucketNames)[number];

/**
 * Object Lock default retention per bucket. Production: COMPLIANCE (nobody, root included, can shorten
 * it). Every other stage: GOVERNANCE for one day, so a sandbox can be emptied with
 * s3:BypassGovernanceRetention and torn down (docs/deploy.md "Teardown").
 */
export function objectLockRetention(stage: string, bucket: BucketName): ObjectLockRetention {
  if (!isProduction(stage)) return ObjectLockRetention.governance(Duration.days(1));
  const days: Record<BucketName, number> = { reports: 365, bundles: 30, checkpoints: 2555 };
  return ObjectLockRetention.compliance(Duration.days(days[bucket]));
}

/** Evidence bundles are downloadable for 30 days, then lifecycle expires them (once Object Lock retention allows). */
export const bundleExpiryDays = 30;

export function Data({ stack, app }: StackContext) {
  const { storageKey } = use(Keys);
  const { accessLogs } = use(Monitoring);
  const { siteOrigin } = use(Web);
  const protectedStage = isProtectedStage(app.stage);
  const removalPolicy = protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

  const table = new Table(stack, 'Table', {
    partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
    sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: storageKey,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: tableSchema.timeToLiveAttribute,
    deletionProtection: protectedStage,
    removalPolicy,
    // No stream: notifications are derived from ledger entries by the API and queued (stacks/jobs.ts).
  });
  for (const index of tableSchema.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  const lifecycle: Record<BucketName, LifecycleRule[]> = {
    reports: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    bundles: [
      {
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        expiration: Duration.days(bundleExpiryDays),
        noncurrentVersionExpiration: Duration.days(1),
      },
    ],
    checkpoints: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
  };

  const dataBucket = (name: BucketName) =>
    new Bucket(stack, `${name.charAt(0).toUpperCase()}${name.slice(1)}Bucket`, {
      encryption: BucketEncryption.KMS,
      encryptionKey: storageKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      // Report uploads are announced to EventBridge (stacks/jobs.ts queues them for validation).
      eventBridgeEnabled: name === 'reports',
      objectLockDefaultRetention: objectLockRetention(app.stage, name),
      lifecycleRules: lifecycle[name],
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `s3/${name}/`,
      // Browsers upload report files with presigned PUTs, from the site's origin only.
      cors:
        name === 'reports'
          ? [
              {
                allowedOrigins: [siteOrigin],
                allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
                allowedHeaders: ['content-type', 'x-amz-checksum-sha256', 'x-amz-sdk-checksum-algorithm'],
                exposedHeaders: ['ETag'],
                maxAge: 3600,
              },
            ]
          : undefined,
      removalPolicy,
    });

  const buckets = {
    reports: dataBucket('reports'),
    bundles: dataBucket('bundles'),
    checkpoints: dataBucket('checkpoints'),
  } satisfies Record<BucketName, Bucket>;

  stack.addOutputs({
    TableName: table.tableName,
    ReportsBucket: buckets.reports.bucketName,
    BundlesBucket: buckets.bundles.bucketName,
    CheckpointsBucket: buckets.checkpoints.bucketName,
  });
  return { table, buckets };
}
