import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRootPrincipal, Effect, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { StackContext } from 'sst/constructs';
import { keyAliases } from '../packages/aws/src/table-schema.js';
import { usesKey } from './access.js';
import { deployedFunctions } from './functions.js';
import { functionRoleName, isProtectedStage, portalSettings } from './settings.js';

/**
 * Key administration without key use: the account (through IAM) may manage, rotate, tag and schedule
 * deletion, but not sign, encrypt or decrypt. Grants only for AWS services (DynamoDB creates one when
 * the table is encrypted with the storage key), so no principal can grant itself Decrypt.
 */
export const keyAdminActions = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export function Keys({ stack, app }: StackContext) {
  const settings = portalSettings(app);
  const functions = deployedFunctions(settings.functionsDir);
  const protectedStage = isProtectedStage(app.stage);
  const roleArn = (name: string) => `arn:${stack.partition}:iam::${stack.account}:role/${name}`;
  const root = new AccountRootPrincipal();

  // CDK v2 uses a given key policy as written (no default `kms:*` for the account is appended).
  const adminStatements = () => [
    new PolicyStatement({ sid: 'KeyAdministration', principals: [root], actions: keyAdminActions, resources: ['*'] }),
    new PolicyStatement({
      sid: 'GrantsForAwsServicesOnly',
      principals: [root],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];

  /** One statement per function role that uses the key directly, with exactly the actions it declares. */
  const useStatements = (key: 'signing' | 'data') =>
    functions
      .filter((fn) => usesKey(fn.access, key).length > 0)
      .map(
        (fn) =>
          new PolicyStatement({
            sid: `UseBy${fn.name.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase())}`,
            effect: Effect.ALLOW,
            principals: [root],
            actions: [...usesKey(fn.access, key)],
            resources: ['*'],
            conditions: { ArnEquals: { 'aws:PrincipalArn': roleArn(functionRoleName(app.stage, fn.name)) } },
          }),
      );

  const keyProps = {
    removalPolicy: protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(protectedStage ? 30 : 7),
  };

  const signingKey = new Key(stack, 'SigningKey', {
    ...keyProps,
    description: `evidence-portal ${app.stage}: signs ledger checkpoints and evidence bundle manifests (DSSE, ECDSA P-256)`,
    keySpec: KeySpec.ECC_NIST_P256,
    keyUsage: KeyUsage.SIGN_VERIFY,
    alias: `${keyAliases.signing}/${app.stage}`,
    policy: new PolicyDocument({ statements: [...adminStatements(), ...useStatements('signing')] }),
  });

  const dataKey = new Key(stack, 'DataKey', {
    ...keyProps,
    description: `evidence-portal ${app.stage}: envelope encryption of evidence bundles (AWS Encryption SDK)`,
    keySpec: KeySpec.SYMMETRIC_DEFAULT,
    enableKeyRotation: true,
    alias: `${keyAliases.data}/${app.stage}`,
    policy: new PolicyDocument({ statements: [...adminStatements(), ...useStatements('data')] }),
  });

  const storageUsers = functions.filter((fn) => usesKey(fn.access, 'storage').length > 0);
  const storageKey = new Key(stack, 'StorageKey', {
    ...keyProps,
    description: `evidence-portal ${app.stage}: server-side encryption of the table, the data buckets and the alarm topic`,
    keySpec: KeySpec.SYMMETRIC_DEFAULT,
    enableKeyRotation: true,
    alias: `alias/evidence-portal-storage/${app.stage}`,
    policy: new PolicyDocument({
      statements: [
        ...adminStatements(),
        new PolicyStatement({
          sid: 'UseThroughDynamoDbAndS3',
          principals: [root],
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            ArnEquals: { 'aws:PrincipalArn': storageUsers.map((fn) => roleArn(functionRoleName(app.stage, fn.name))) },
            StringEquals: {
              'kms:ViaService': [
                `dynamodb.${stack.region}.${stack.urlSuffix}`,
                `s3.${stack.region}.${stack.urlSuffix}`,
              ],
            },
          },
        }),
        new PolicyStatement({
          sid: 'CloudWatchAlarmsToEncryptedTopic',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      ],
    }),
  });

  stack.addOutputs({
    SigningKeyArn: signingKey.keyArn,
    DataKeyArn: dataKey.keyArn,
    StorageKeyArn: storageKey.keyArn,
  });
  return { signingKey, dataKey, storageKey };
}
