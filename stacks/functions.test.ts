import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AccessTargets, accessStatements } from './access.js';
import { apiFunction, handlerPath, jobDefinitions, wiredJobs } from './functions.js';
import { findWildcardGrants } from './iam-guard.js';
import { visibilityTimeoutFor } from './jobs.js';
import { functionRoleName } from './settings.js';

const targets: AccessTargets = {
  tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t',
  indexNames: ['gsi1', 'gsi2'],
  bucketArns: { reports: 'arn:aws:s3:::r', bundles: 'arn:aws:s3:::b', checkpoints: 'arn:aws:s3:::c' },
  signingKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/s',
  dataKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/d',
  storageKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/st',
  webhookSecretParameterArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/p',
  originVerifySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-verify-AbCdEf',
  mail: {
    identityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/portal.example.com',
    from: 'no-reply@portal.example.com',
  },
  region: 'eu-west-1',
  urlSuffix: 'amazonaws.com',
};
const asTemplate = (statements: ReturnType<typeof accessStatements>) => ({
  Resources: {
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyDocument: { Statement: statements.map((s) => s.toStatementJson()) } },
    },
  },
});

describe('job definitions', () => {
  it('only jobs whose entry file exists are wired', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-jobs-'));
    mkdirSync(path.join(dir, 'jobs'));
    expect(wiredJobs(dir)).toEqual([]);
    writeFileSync(path.join(dir, 'jobs', 'evidence-export.ts'), 'export const handler = () => undefined;\n');
    expect(wiredJobs(dir).map((job) => job.name)).toEqual(['evidence-export']);
  });

  it('every job has a unique name, a role name within the IAM limit, and a valid trigger', () => {
    expect(new Set(jobDefinitions.map((job) => job.name)).size).toBe(jobDefinitions.length);
    for (const job of [apiFunction, ...jobDefinitions]) {
      expect(functionRoleName('a-32-character-stage-name-xxxxxx', job.name).length).toBeLessThanOrEqual(64);
      expect(job.timeout).toBeLessThanOrEqual(900);
      expect(handlerPath('functions', job)).toMatch(/^functions\/.*\.handler$/);
    }
    for (const job of jobDefinitions.filter((j) => j.trigger.kind === 'queue'))
      expect(visibilityTimeoutFor(job).toSeconds()).toBeGreaterThanOrEqual(6 * job.timeout);
    expect(apiFunction.timeout).toBeLessThan(30); // HTTP API integration limit
  });
});

describe('access statements', () => {
  it('read-only table access gets no write action and reads the storage key only', () => {
    const json = accessStatements({ table: 'read' }, targets).map((s) => s.toStatementJson());
    expect(json.find((s) => s.Sid === 'Table').Action).not.toContain('dynamodb:PutItem');
    expect(json.find((s) => s.Sid === 'StorageKeyViaService').Action).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });

  it('index access names each GSI; S3 object actions are on bucket/* and ListBucket on the bucket', () => {
    const json = accessStatements({ table: 'readwrite', buckets: { reports: ['read', 'list'] } }, targets).map((s) =>
      s.toStatementJson(),
    );
    expect(json.find((s) => s.Sid === 'Table').Resource).toEqual([
      targets.tableArn,
      `${targets.tableArn}/index/gsi1`,
      `${targets.tableArn}/index/gsi2`,
    ]);
    expect(json.find((s) => s.Sid === 'ReportsObjects')).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::r/*',
    });
    expect(json.find((s) => s.Sid === 'ReportsList')).toMatchObject({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::r',
    });
  });

  it('after a key rotation, functions that read the signing key read the retired keys public key only', () => {
    const rotated = { ...targets, previousSigningKeyArns: ['arn:aws:kms:eu-west-1:123456789012:key/old'] };
    const byId = (spec: typeof apiFunction) =>
      Object.fromEntries(accessStatements(spec.access, rotated).map((s) => [s.sid, s.toStatementJson()]));
    const checkpoint = jobDefinitions.find((job) => job.name === 'ledger-checkpoint')!;
    const validation = jobDefinitions.find((job) => job.name === 'report-validation')!;

    for (const spec of [apiFunction, checkpoint]) {
      expect(byId(spec).PreviousSigningKeys).toEqual({
        Sid: 'PreviousSigningKeys',
        Effect: 'Allow',
        Action: 'kms:GetPublicKey',
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/old',
      });
    }
    expect(byId(validation).PreviousSigningKeys).toBeUndefined();
    expect(byId(apiFunction).SigningKey.Resource).toBe(targets.signingKeyArn);
  });

  it('every declared function passes the wildcard guard', () => {
    for (const fn of [apiFunction, ...jobDefinitions])
      expect(findWildcardGrants(asTemplate(accessStatements(fn.access, targets))), fn.name).toEqual([]);
  });
});

describe('wildcard guard', () => {
  const policy = (statement: Record<string, unknown>) => ({
    Resources: { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [statement] } } } },
  });
  it.each([
    [{ Effect: 'Allow', Action: 'kms:*', Resource: targets.signingKeyArn }, 'wildcard action kms:*'],
    [{ Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::r/*' }, 'wildcard action s3:Get*'],
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, 'action "*"'],
    [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }, 'dynamodb:GetItem on Resource "*"'],
    [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, 'Allow with NotAction'],
  ])('flags %j', (statement, problem) => {
    expect(findWildcardGrants(policy(statement)).map((f) => f.problem)).toContain(problem);
  });

  it('ignores Deny statements and non-data services (X-Ray needs Resource "*")', () => {
    expect(findWildcardGrants(policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }))).toEqual([]);
    expect(findWildcardGrants(policy({ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' }))).toEqual([]);
  });

  it('reads inline role policies too', () => {
    const template = {
      Resources: {
        R: {
          Type: 'AWS::IAM::Role',
          Properties: {
            Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }],
          },
        },
      },
    };
    expect(findWildcardGrants(template)).toHaveLength(2);
  });
});
