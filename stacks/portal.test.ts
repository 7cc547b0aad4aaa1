// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped; the assertions pin its shape.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { originVerifyHeader } from '../packages/api/src/origin-verify-header.js';
import { tableSchema } from '../packages/aws/src/table-schema.js';
import { tableActions } from './access.js';
import { apiFunction, jobDefinitions } from './functions.js';
import { findWildcardGrants } from './iam-guard.js';
import { LAMBDA_RUNTIME } from './lambda.js';
import { type Concern, type SynthResult, synthPortal, TEST_ACCOUNT } from './synth-app.js';
import { rateLimits } from './waf.js';

/**
 * The whole portal synthesized once for the `sandbox` stage in eu-west-1 (so the us-east-1 web ACL is a
 * real cross-region reference), with cdk-nag AwsSolutions over every stack and the fixture entry points
 * (api + all four jobs) from stacks/test-fixtures/functions.
 */
let synth: SynthResult;
beforeAll(async () => {
  synth = await synthPortal({ stage: 'sandbox', region: 'eu-west-1', nag: true });
}, 120_000);

const t = (concern: Concern): Template => synth.templates[concern];
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; Metadata?: any };
const resources = (concern: Concern, type: string) =>
  Object.entries(t(concern).findResources(type)) as [string, Resource][];
const only = (concern: Concern, type: string, prefix = '') => {
  const found = resources(concern, type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}`).toHaveLength(1);
  return found[0]![1];
};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const roleArn = (suffix: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:role/evidence-portal-sandbox-${suffix}`]],
});

/** The inline policy a portal function's role holds: Sid -> sorted actions. */
function grants(concern: Concern, policyPrefix: string): Record<string, string[]> {
  const policy = only(concern, 'AWS::IAM::Policy', policyPrefix);
  return Object.fromEntries(
    (policy.Properties.PolicyDocument.Statement as { Sid: string; Action: unknown }[]).map((s) => [
      s.Sid,
      (list(s.Action) as string[]).sort(),
    ]),
  );
}

describe('keys', () => {
  it('signing key is ECC_NIST_P256 SIGN_VERIFY; data and storage keys are symmetric with rotation', () => {
    const signing = only('keys', 'AWS::KMS::Key', 'SigningKey');
    expect(signing.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(signing.Properties.EnableKeyRotation).toBeUndefined();
    for (const prefix of ['DataKey', 'StorageKey']) {
      const key = only('keys', 'AWS::KMS::Key', prefix);
      expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
    const aliases = resources('keys', 'AWS::KMS::Alias').map(([, r]) => r.Properties.AliasName);
    expect(aliases.sort()).toEqual([
      'alias/evidence-portal-data/sandbox',
      'alias/evidence-portal-signing/sandbox',
      'alias/evidence-portal-storage/sandbox',
    ]);
  });

  it('key policies: the account administers but cannot use; only the roles that need a key may use it', () => {
    const usage = /^kms:(Sign|Verify|Encrypt|Decrypt|GenerateDataKey.*|ReEncrypt.*|\*)$/;
    for (const [id, key] of resources('keys', 'AWS::KMS::Key')) {
      for (const statement of key.Properties.KeyPolicy.Statement) {
        const actions = list(statement.Action) as string[];
        expect(actions, `${id} ${statement.Sid}`).not.toContain('kms:*');
        if (!actions.some((action) => usage.test(action))) continue;
        const viaRoles = statement.Condition?.ArnEquals?.['aws:PrincipalArn'];
        const viaCloudWatch = statement.Principal?.Service === 'cloudwatch.amazonaws.com';
        expect(viaRoles !== undefined || viaCloudWatch, `${id} ${statement.Sid} is unconditioned`).toBe(true);
      }
    }
    const users = (prefix: string) =>
      only('keys', 'AWS::KMS::Key', prefix)
        .Properties.KeyPolicy.Statement.filter((s: any) => s.Sid?.startsWith('UseBy'))
        .map((s: any) => [s.Sid, s.Condition.ArnEquals['aws:PrincipalArn'], (list(s.Action) as string[]).sort()]);
    expect(users('SigningKey')).toEqual([
      ['UseByApi', roleArn('api'), ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign']],
      ['UseByLedgerCheckpoint', roleArn('checkpoint'), ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign']],
      ['UseByEvidenceExport', roleArn('export'), ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign']],
    ]);
    expect(users('DataKey')).toEqual([
      ['UseByApi', roleArn('api'), ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']],
      ['UseByEvidenceExport', roleArn('export'), ['kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']],
    ]);
    const storage = only('keys', 'AWS::KMS::Key', 'StorageKey').Properties.KeyPolicy.Statement.find(
      (s: any) => s.Sid === 'UseThroughDynamoDbAndS3',
    );
    expect(storage.Condition.StringEquals['kms:ViaService']).toHaveLength(2);
    expect(storage.Condition.ArnEquals['aws:PrincipalArn']).toHaveLength(5);
  });

  it('sandbox keys can be deleted with the stage (7-day window)', () => {
    for (const [, key] of resources('keys', 'AWS::KMS::Key')) {
      expect(key.DeletionPolicy).toBe('Delete');
      expect(key.Properties.PendingWindowInDays).toBe(7);
    }
  });
});

describe('data', () => {
  it('the table matches packages/aws table-schema: keys, GSIs, TTL; on-demand, PITR, CMK', () => {
    const table = only('data', 'AWS::DynamoDB::Table');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
    ]);
    expect(
      table.Properties.GlobalSecondaryIndexes.map((gsi: any) => [
        gsi.IndexName,
        gsi.KeySchema.map((k: any) => k.AttributeName),
      ]),
    ).toEqual(tableSchema.globalSecondaryIndexes.map((gsi) => [gsi.indexName, [gsi.partitionKey, gsi.sortKey]]));
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
    });
    expect(JSON.stringify(table.Properties.SSESpecification.KMSMasterKeyId)).toContain('StorageKey');
    expect(table.Properties.StreamSpecification).toBeUndefined();
    // sandbox is ephemeral: no deletion protection, deleted with the stage
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
  });

  it('data buckets: Object Lock (GOVERNANCE off production), SSE-KMS, versioned, block-public, access-logged', () => {
    const buckets = resources('data', 'AWS::S3::Bucket');
    expect(buckets.map(([id]) => id.replace(/Bucket.*$/, '')).sort()).toEqual(['Bundles', 'Checkpoints', 'Reports']);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties, id).toMatchObject({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
            },
          ],
        },
        LoggingConfiguration: {
          DestinationBucketName: expect.anything(),
          LogFilePrefix: expect.stringMatching('^s3/'),
        },
      });
    }
  });

  it('every bucket of every stack denies non-TLS requests', () => {
    for (const concern of ['monitoring', 'web', 'data'] as const) {
      const bucketIds = resources(concern, 'AWS::S3::Bucket').map(([id]) => id);
      const policies = resources(concern, 'AWS::S3::BucketPolicy');
      for (const id of bucketIds) {
        const policy = policies.find(([, p]) => JSON.stringify(p.Properties.Bucket).includes(id));
        expect(policy, `${concern} ${id} has a bucket policy`).toBeDefined();
        expect(policy![1].Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        );
      }
    }
  });

  it('CORS only on the reports bucket, only for the site origin; bundles expire', () => {
    const [[, reports]] = resources('data', 'AWS::S3::Bucket').filter(([id]) => id.startsWith('Reports')) as [
      [string, Resource],
    ];
    const rules = reports.Properties.CorsConfiguration.CorsRules;
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0].AllowedOrigins)).toMatch(/Distribution.*DomainName/);
    for (const [id, bucket] of resources('data', 'AWS::S3::Bucket').filter(([id]) => !id.startsWith('Reports')))
      expect(bucket.Properties.CorsConfiguration, id).toBeUndefined();
    const [[, bundles]] = resources('data', 'AWS::S3::Bucket').filter(([id]) => id.startsWith('Bundles')) as [
      [string, Resource],
    ];
    expect(bundles.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' })]),
    );
  });
});

describe('functions', () => {
  it(`every portal function runs ${LAMBDA_RUNTIME} on arm64 with JSON logs, X-Ray and a log group with retention`, () => {
    const portalFunctions = [
      ...resources('api', 'AWS::Lambda::Function'),
      ...resources('jobs', 'AWS::Lambda::Function'),
    ].filter(([id]) => !id.startsWith('CustomResourceHandler'));
    expect(portalFunctions).toHaveLength(1 + jobDefinitions.length);
    for (const [id, fn] of portalFunctions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.anything() } },
      });
    }
    for (const concern of ['api', 'jobs'] as const)
      for (const [id, group] of resources(concern, 'AWS::Logs::LogGroup'))
        expect(group.Properties.RetentionInDays, id).toBe(14);
    const api = only('api', 'AWS::Lambda::Function', 'ApiFunction');
    expect(api.Properties).toMatchObject({ MemorySize: apiFunction.memorySize, Timeout: apiFunction.timeout });
    expect(Object.keys(api.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([
        'PORTAL_STAGE',
        'PORTAL_TABLE_NAME',
        'PORTAL_REPORTS_BUCKET',
        'PORTAL_BUNDLES_BUCKET',
        'PORTAL_CHECKPOINTS_BUCKET',
        'PORTAL_SIGNING_KEY_ARN',
        'PORTAL_DATA_KEY_ARN',
        'PORTAL_SITE_ORIGIN',
        'PORTAL_WEBHOOK_SECRET_PARAMETER',
        'PORTAL_MAIL_FROM',
        'PORTAL_ORIGIN_VERIFY_SECRET_ARN',
        'LOG_LEVEL',
      ]),
    );
  });

  it('the API role holds exactly the actions it calls, on exactly its resources, and no managed policy', () => {
    expect(grants('api', 'ApiFunctionPolicy')).toEqual({
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Table: [...tableActions.readwrite].sort(),
      ReportsObjects: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      BundlesObjects: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      CheckpointsObjects: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      CheckpointsList: ['s3:ListBucket'],
      StorageKeyViaService: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      SigningKey: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      DataKey: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      WebhookSecret: ['ssm:GetParameter'],
      OriginVerifySecret: ['secretsmanager:GetSecretValue'],
      SendMail: ['ses:SendEmail'],
      EnqueueReportValidation: ['sqs:SendMessage'],
      EnqueueEvidenceExport: ['sqs:SendMessage'],
    });
    const statements = only('api', 'AWS::IAM::Policy', 'ApiFunctionPolicy').Properties.PolicyDocument.Statement;
    const resourcesOf = (sid: string) => JSON.stringify(statements.find((s: any) => s.Sid === sid).Resource);
    expect(resourcesOf('Table')).toMatch(/Table.*\/index\/gsi1.*\/index\/gsi2/);
    expect(resourcesOf('SigningKey')).toMatch(/SigningKey/);
    expect(resourcesOf('SigningKey')).not.toMatch(/DataKey|StorageKey/);
    expect(resourcesOf('WebhookSecret')).toContain(':parameter/evidence-portal/sandbox/webhook-signing-secret');
    expect(resourcesOf('OriginVerifySecret')).toMatch(/OriginVerifySecret/);
    // SES: SendEmail on the stage's sender identity only, from its one address (no ses:*, no "*").
    const sendMail = statements.find((s: any) => s.Sid === 'SendMail');
    expect(resourcesOf('SendMail')).toMatch(/:ses:.*:identity\/portal\.example\.com/);
    expect(sendMail.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@portal.example.com' } });
    const role = only('api', 'AWS::IAM::Role', 'ApiFunctionRole');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.RoleName).toBe('evidence-portal-sandbox-api');
  });

  it('each job role holds only what its definition declares', () => {
    expect(grants('jobs', 'LedgerCheckpointFunctionPolicy')).toEqual({
      Logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Table: [...tableActions.readwrite].sort(),
      CheckpointsObjects: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      CheckpointsList: ['s3:ListBucket'],
      StorageKeyViaService: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      SigningKey: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
    });
    expect(Object.keys(grants('jobs', 'NotificationDeliveryFunctionPolicy')).sort()).toEqual([
      'Logs',
      'SendMail',
      'StorageKeyViaService',
      'Table',
      'WebhookSecret',
    ]);
    expect(grants('jobs', 'EvidenceExportFunctionPolicy').DataKey).toEqual([
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
    expect(grants('jobs', 'ReportValidationFunctionPolicy').SigningKey).toBeUndefined();
  });

  it('no IAM policy in any stack grants a "*" action or "*" resource on DynamoDB, KMS or S3', () => {
    for (const concern of Object.keys(synth.templates) as Concern[])
      expect(findWildcardGrants(t(concern).toJSON()), concern).toEqual([]);
  });

  it('the guard catches a grant widened to kms:* or to Resource "*" (on a mutated copy of the API template)', () => {
    const widen = (mutate: (statement: any) => void) => {
      const copy = structuredClone(t('api').toJSON());
      const [, policy] = Object.entries(copy.Resources).find(([id]) => id.startsWith('ApiFunctionPolicy')) as [
        string,
        any,
      ];
      policy.Properties.PolicyDocument.Statement.forEach(mutate);
      return findWildcardGrants(copy);
    };
    expect(
      widen((s) => {
        if (s.Sid === 'SigningKey') s.Action = 'kms:*';
      }),
    ).toEqual([expect.objectContaining({ sid: 'SigningKey', problem: 'wildcard action kms:*' })]);
    expect(
      widen((s) => {
        if (s.Sid === 'Table') s.Resource = '*';
      }),
    ).toEqual([expect.objectContaining({ sid: 'Table', problem: expect.stringContaining('on Resource "*"') })]);
    expect(
      widen((s) => {
        if (s.Sid === 'ReportsObjects') s.Action = ['s3:*'];
      }),
    ).toHaveLength(1);
  });
});

describe('api', () => {
  it('HTTP API: /api/{proxy+} and /artifact/{proxy+} routes to the function, stage throttling and JSON access logs', () => {
    expect(
      resources('api', 'AWS::ApiGatewayV2::Route')
        .map(([, route]) => route.Properties.RouteKey)
        .sort(),
    ).toEqual(['ANY /api/{proxy+}', 'ANY /artifact/{proxy+}']);
    expect(only('api', 'AWS::ApiGatewayV2::Integration').Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    const stage = only('api-gateway', 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.stringMatching('requestId') },
    });
  });
});

describe('web', () => {
  const distribution = () => only('web', 'AWS::CloudFront::Distribution').Properties.DistributionConfig;

  it('CloudFront serves the SPA from S3 (OAC) and /api/* from the HTTP API on the same origin, uncached', () => {
    const config = distribution();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toBeUndefined(); // they would turn the API's 404s into index.html
    expect(config.Origins).toHaveLength(2);
    expect(config.Origins.find((o: any) => o.S3OriginConfig).OriginAccessControlId).toBeDefined();
    const artifact = config.CacheBehaviors.find((b: any) => b.PathPattern === '/artifact/*');
    expect(artifact).toMatchObject({
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
      AllowedMethods: expect.arrayContaining(['POST', 'DELETE', 'PUT', 'PATCH']),
    });
    expect(config.Logging).toMatchObject({ Bucket: expect.anything(), Prefix: 'cloudfront/' });
  });

  it('response headers policies carry the Foundation CSP and HSTS; the API keeps its own (no override)', () => {
    const policies = resources('web', 'AWS::CloudFront::ResponseHeadersPolicy').map(([id, p]) => [
      id,
      p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig,
    ]);
    expect(policies).toHaveLength(2);
    for (const [id, headers] of policies) {
      const override = String(id).startsWith('SiteHeaders');
      expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(headers.ContentSecurityPolicy.Override).toBe(override);
      expect(headers.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
        Override: override,
      });
      expect(headers.FrameOptions.FrameOption).toBe('DENY');
    }
    const config = distribution();
    expect(JSON.stringify(config.DefaultCacheBehavior.ResponseHeadersPolicyId)).toContain('SiteHeaders');
    expect(JSON.stringify(config.CacheBehaviors[0].ResponseHeadersPolicyId)).toContain('ApiHeaders');
  });

  it('the raw execute-api URL is refused: CloudFront sends the origin-verify secret, and only the API reads it', () => {
    // Issue 15, item 18. The secret is generated in Secrets Manager; the template carries only references.
    const secret = only('api-gateway', 'AWS::SecretsManager::Secret', 'OriginVerifySecret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true, PasswordLength: 64 });
    expect(secret.Properties.SecretString).toBeUndefined();
    // CloudFront adds the header to every request of the API origin (both /api/* and /artifact/*), its value a
    // dynamic reference CloudFormation resolves at deploy.
    const config = distribution();
    const apiOrigin = config.Origins.find((o: any) => o.CustomOriginConfig);
    expect(apiOrigin.OriginCustomHeaders).toHaveLength(1);
    const [header] = apiOrigin.OriginCustomHeaders;
    expect(header.HeaderName).toBe(originVerifyHeader);
    expect(JSON.stringify(header.HeaderValue)).toMatch(/\{\{resolve:secretsmanager:/);
    for (const path of ['/api/*', '/artifact/*']) {
      expect(config.CacheBehaviors.find((b: any) => b.PathPattern === path).TargetOriginId).toBe(apiOrigin.Id);
    }
    // The API function is told which secret to check, and is the only role that may read it.
    const api = only('api', 'AWS::Lambda::Function', 'ApiFunction');
    expect(JSON.stringify(api.Properties.Environment.Variables.PORTAL_ORIGIN_VERIFY_SECRET_ARN)).toMatch(
      /OriginVerifySecret/,
    );
    for (const [id, fn] of resources('jobs', 'AWS::Lambda::Function'))
      expect(fn.Properties.Environment?.Variables?.PORTAL_ORIGIN_VERIFY_SECRET_ARN, id).toBeUndefined();
    // It reads it through the AWS Parameters and Secrets extension (no Secrets Manager client in its bundle).
    expect(JSON.stringify(api.Properties.Layers)).toMatch(
      /ParamsAndSecrets|AWS-Parameters-and-Secrets-Lambda-Extension/,
    );
    expect(api.Properties.Environment.Variables.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBe('2773');
    const readers = (Object.keys(synth.templates) as Concern[]).flatMap((concern) =>
      resources(concern, 'AWS::IAM::Policy').flatMap(([id, policy]) =>
        (policy.Properties.PolicyDocument.Statement as any[])
          .filter((statement) => JSON.stringify(statement).includes('secretsmanager:GetSecretValue'))
          .map((statement) => `${concern}/${id}/${statement.Sid}`),
      ),
    );
    expect(readers).toEqual([expect.stringMatching(/^api\/ApiFunctionPolicy.*\/OriginVerifySecret$/)]);
    // No generated value in any template (only the {{resolve:...}} reference).
    expect(JSON.stringify(synth.templates.web.toJSON())).not.toMatch(/"HeaderValue":"[A-Za-z0-9]{64}"/);
  });

  it('the distribution is associated with the us-east-1 web ACL (cross-region reference)', () => {
    expect(synth.stacks.waf.region).toBe('us-east-1');
    expect(synth.stacks.web.region).toBe('eu-west-1');
    expect(JSON.stringify(distribution().WebACLId)).toMatch(/ExportsReader/);
    const acl = only('waf', 'AWS::WAFv2::WebACL').Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    const rules = acl.Rules.map((r: any) => r.Statement.ManagedRuleGroupStatement?.Name ?? r.Name);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'RateLimitPerIp',
      ]),
    );
    const rate = acl.Rules.find((r: any) => r.Name === 'RateLimitPerIp');
    expect(rate).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: rateLimits.perIp } },
    });
    expect(only('waf', 'AWS::WAFv2::LoggingConfiguration')).toBeDefined();
  });
});

describe('jobs', () => {
  it('queue jobs: SQS with DLQ redrive, partial batch responses, capped concurrency', () => {
    const queueJobs = jobDefinitions.filter((job) => job.trigger.kind === 'queue');
    const mappings = resources('jobs', 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(queueJobs.length);
    for (const [, mapping] of mappings)
      expect(mapping.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: expect.anything() },
      });
    const queues = resources('jobs', 'AWS::SQS::Queue');
    const scheduleJobs = jobDefinitions.length - queueJobs.length;
    expect(queues).toHaveLength(2 * queueJobs.length + scheduleJobs); // queue + DLQ each, a DLQ per schedule
    const redriven = queues.filter(([, q]) => q.Properties.RedrivePolicy);
    expect(redriven).toHaveLength(queueJobs.length);
    for (const [, queue] of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('report uploads reach the validation queue: reports bucket -> EventBridge rule -> SQS', () => {
    const rule = only('jobs', 'AWS::Events::Rule').Properties;
    expect(rule.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'originals/' }] } },
    });
    expect(JSON.stringify(rule.Targets)).toContain('ReportValidationQueue');
    // aws-cdk-lib turns bucket notifications on with a deploy-time custom resource.
    const notifications = resources('data', 'Custom::S3BucketNotifications').map(([, n]) => n.Properties);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      BucketName: { Ref: expect.stringMatching(/^ReportsBucket/) },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('the ledger checkpoint runs on EventBridge Scheduler with retries and a DLQ', () => {
    const schedules = resources('jobs', 'AWS::Scheduler::Schedule').map(([id, r]) => [id, r.Properties] as const);
    expect(schedules.map(([, p]) => p.ScheduleExpression).sort()).toEqual(['rate(1 hour)', 'rate(1 minute)']);
    const schedule = schedules.find(([id]) => id.startsWith('LedgerCheckpoint'))?.[1];
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 3 },
        DeadLetterConfig: { Arn: expect.anything() },
      },
    });
  });

  it('alarms on errors and DLQ depth for every job, and on API errors, all notifying the alarm topic', () => {
    expect(resources('jobs', 'AWS::CloudWatch::Alarm')).toHaveLength(2 * jobDefinitions.length);
    expect(resources('api', 'AWS::CloudWatch::Alarm')).toHaveLength(1);
    for (const concern of ['api', 'jobs'] as const)
      for (const [id, alarm] of resources(concern, 'AWS::CloudWatch::Alarm'))
        expect(JSON.stringify(alarm.Properties.AlarmActions), id).toMatch(/Alarms/);
    expect(only('monitoring', 'AWS::SNS::Topic').Properties.KmsMasterKeyId).toBeDefined();
  });

  it('alarms on the ledger IntegrityAlert metric the API and the checkpoint job emit, notifying the alarm topic', () => {
    const alarm = only('monitoring', 'AWS::CloudWatch::Alarm', 'LedgerIntegrityAlert');
    expect(alarm.Properties).toMatchObject({
      Namespace: 'EvidencePortal',
      MetricName: 'IntegrityAlert',
      Dimensions: [{ Name: 'Stage', Value: 'sandbox' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/Alarms/);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed finding in any stack', () => {
    expect(synth.findings.map((f) => `${f.path}: ${f.message.split('\n')[0]}`)).toEqual([]);
  });

  it('every suppression carries a written reason', () => {
    const suppressions = (Object.keys(synth.templates) as Concern[]).flatMap((concern) =>
      Object.values(t(concern).toJSON().Resources as Record<string, Resource>).flatMap(
        (r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[],
      ),
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(40);
    expect([...new Set(suppressions.map((s) => s.id))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      // The origin-verify secret: rotated by put-secret-value + deploy (docs/deploy.md), not on a schedule.
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });
});
