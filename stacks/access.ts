import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { bucketNames } from '../packages/aws/src/table-schema.js';

/**
 * What a function may do, declared as data. `accessStatements` turns it into explicit IAM statements
 * on exactly the named resources; the key policies (stacks/keys.ts) read the same declarations, so
 * "who may use the signing key" has one source. Never SST `bind`/`permissions: [table]`, which grant
 * `dynamodb:*` / `s3:*`.
 */
export type BucketName = (typeof bucketNames)[number];
export type BucketOp = 'read' | 'write' | 'delete' | 'list';
export type SigningKeyAction = 'kms:Sign' | 'kms:GetPublicKey' | 'kms:DescribeKey';
export type DataKeyAction = 'kms:GenerateDataKey' | 'kms:Encrypt' | 'kms:Decrypt' | 'kms:DescribeKey';

export interface FunctionAccess {
  table?: 'read' | 'readwrite';
  buckets?: Partial<Record<BucketName, readonly BucketOp[]>>;
  signingKey?: readonly SigningKeyAction[];
  dataKey?: readonly DataKeyAction[];
  /** ssm:GetParameter on the webhook signing secret (a SecureString under the AWS-managed aws/ssm key). */
  webhookSecret?: boolean;
  /** secretsmanager:GetSecretValue on the origin-verify secret (the API checks CloudFront's header against it). */
  originVerifySecret?: boolean;
  /** ses:SendEmail on the stage's sender identity only, from its one sender address (account mail, notifications). */
  mail?: boolean;
}

export interface AccessTargets {
  tableArn: string;
  indexNames: readonly string[];
  bucketArns: Record<BucketName, string>;
  signingKeyArn: string;
  /** Retired signing keys: only their public keys are read (key rotation). */
  previousSigningKeyArns?: readonly string[];
  dataKeyArn: string;
  /** The key behind table/bucket SSE: used only through DynamoDB and S3 (kms:ViaService). */
  storageKeyArn: string;
  webhookSecretParameterArn: string;
  originVerifySecretArn: string;
  /** The SES identity (domain or address) the stage sends from, and the sender address. */
  mail: { identityArn: string; from: string };
  region: string;
  urlSuffix: string;
}

export const tableActions = {
  read: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
  ],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:TransactWriteItems',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DescribeTable',
  ],
} as const;

/** IAM has no s3:HeadObject: HEAD is authorized by s3:GetObject. Multipart uploads need AbortMultipartUpload. */
const objectActions: Record<Exclude<BucketOp, 'list'>, readonly string[]> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

export function accessStatements(access: FunctionAccess, targets: AccessTargets): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const allow = (sid: string, actions: readonly string[], resources: string[], conditions?: Record<string, unknown>) =>
    statements.push(
      new PolicyStatement({
        sid,
        effect: Effect.ALLOW,
        actions: [...actions],
        resources,
        ...(conditions ? { conditions } : {}),
      }),
    );
  const storageKeyActions = new Set<string>();
  const viaServices = new Set<string>();

  if (access.table) {
    allow('Table', tableActions[access.table], [
      targets.tableArn,
      ...targets.indexNames.map((name) => `${targets.tableArn}/index/${name}`),
    ]);
    for (const action of [
      'kms:Decrypt',
      'kms:DescribeKey',
      ...(access.table === 'readwrite' ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
    ])
      storageKeyActions.add(action);
    viaServices.add(`dynamodb.${targets.region}.${targets.urlSuffix}`);
  }

  for (const [bucket, ops] of Object.entries(access.buckets ?? {}) as [BucketName, readonly BucketOp[]][]) {
    const arn = targets.bucketArns[bucket];
    const sid = bucket.charAt(0).toUpperCase() + bucket.slice(1);
    const actions = ops.flatMap((op) => (op === 'list' ? [] : objectActions[op]));
    if (actions.length > 0) allow(`${sid}Objects`, actions, [`${arn}/*`]);
    if (ops.includes('list')) allow(`${sid}List`, ['s3:ListBucket'], [arn]);
    if (ops.includes('read') || ops.includes('write')) storageKeyActions.add('kms:Decrypt');
    if (ops.includes('write')) storageKeyActions.add('kms:GenerateDataKey');
    if (ops.some((op) => op !== 'delete' && op !== 'list'))
      viaServices.add(`s3.${targets.region}.${targets.urlSuffix}`);
  }

  if (storageKeyActions.size > 0)
    allow('StorageKeyViaService', [...storageKeyActions].sort(), [targets.storageKeyArn], {
      StringEquals: { 'kms:ViaService': [...viaServices].sort() },
    });
  if (access.signingKey?.length) allow('SigningKey', access.signingKey, [targets.signingKeyArn]);
  // After a rotation the retired keys are read, never used: GetPublicKey only, on exactly those keys.
  if (access.signingKey?.includes('kms:GetPublicKey') && targets.previousSigningKeyArns?.length) {
    allow('PreviousSigningKeys', ['kms:GetPublicKey'], [...targets.previousSigningKeyArns]);
  }
  if (access.dataKey?.length) allow('DataKey', access.dataKey, [targets.dataKeyArn]);
  if (access.webhookSecret) allow('WebhookSecret', ['ssm:GetParameter'], [targets.webhookSecretParameterArn]);
  if (access.originVerifySecret) {
    allow('OriginVerifySecret', ['secretsmanager:GetSecretValue'], [targets.originVerifySecretArn]);
  }
  if (access.mail) {
    allow('SendMail', ['ses:SendEmail'], [targets.mail.identityArn], {
      StringEquals: { 'ses:FromAddress': targets.mail.from },
    });
  }
  return statements;
}

/** Which functions use a key directly (signing/data) or through DynamoDB/S3 (storage). */
export function usesKey(access: FunctionAccess, key: 'signing' | 'data' | 'storage'): readonly string[] {
  if (key === 'signing') return access.signingKey ?? [];
  if (key === 'data') return access.dataKey ?? [];
  const buckets = Object.values(access.buckets ?? {}).flat();
  return access.table || buckets.some((op) => op === 'read' || op === 'write') ? ['storage'] : [];
}
