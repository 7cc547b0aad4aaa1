// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped; the assertions pin its shape.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findWildcardGrants } from './iam-guard.js';
import { type Concern, fixtures, type SynthResult, synthPortal } from './synth-app.js';

/**
 * The `production` stage in us-east-1 with only the API entry point present (no job files yet): data
 * is protected and locked in COMPLIANCE mode, jobs are not wired, and the key policies name only the
 * API role.
 */
let synth: SynthResult;
beforeAll(async () => {
  // stacks/test-fixtures/api-only holds api.ts and no jobs/ directory.
  synth = await synthPortal({
    stage: 'production',
    region: 'us-east-1',
    functionsDir: path.join(fixtures, 'api-only'),
  });
}, 120_000);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const resources = (concern: Concern, type: string) =>
  Object.entries(synth.templates[concern].findResources(type)) as [string, Resource][];

describe('production stage', () => {
  it('Object Lock is COMPLIANCE mode on every data bucket, with per-bucket retention', () => {
    const retention = Object.fromEntries(
      resources('data', 'AWS::S3::Bucket').map(([id, b]) => [
        id.replace(/Bucket.*$/, ''),
        b.Properties.ObjectLockConfiguration.Rule.DefaultRetention,
      ]),
    );
    expect(retention).toEqual({
      Reports: { Mode: 'COMPLIANCE', Days: 365 },
      Bundles: { Mode: 'COMPLIANCE', Days: 30 },
      Checkpoints: { Mode: 'COMPLIANCE', Days: 2555 },
    });
  });

  it('table, data buckets and keys are retained; the table has deletion protection', () => {
    const [[, table]] = resources('data', 'AWS::DynamoDB::Table') as [[string, Resource]];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    for (const [id, bucket] of resources('data', 'AWS::S3::Bucket')) expect(bucket.DeletionPolicy, id).toBe('Retain');
    for (const [id, key] of resources('keys', 'AWS::KMS::Key')) {
      expect(key.DeletionPolicy, id).toBe('Retain');
      expect(key.Properties.PendingWindowInDays, id).toBe(30);
    }
    for (const [id, group] of resources('api', 'AWS::Logs::LogGroup'))
      expect(group.Properties.RetentionInDays, id).toBe(365);
  });

  it('jobs whose entry file is absent are not deployed, and no key policy names their roles', () => {
    const functions = resources('jobs', 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('CustomResourceHandler'),
    );
    expect(functions).toEqual([]);
    expect(resources('jobs', 'AWS::SQS::Queue')).toEqual([]);
    const keyPolicies = JSON.stringify(resources('keys', 'AWS::KMS::Key').map(([, k]) => k.Properties.KeyPolicy));
    expect(keyPolicies).toContain('role/evidence-portal-production-api');
    expect(keyPolicies).not.toMatch(/role\/evidence-portal-production-(checkpoint|notify|validate|export)/);
    const apiEnvironment = Object.keys(
      resources('api', 'AWS::Lambda::Function').find(([id]) => id.startsWith('ApiFunction'))![1].Properties.Environment
        .Variables,
    );
    expect(apiEnvironment.filter((name) => name.endsWith('_QUEUE_URL'))).toEqual([]);
  });

  it('with the app in us-east-1 the web ACL is an ordinary reference, and no grant is widened', () => {
    const [[, distribution]] = resources('web', 'AWS::CloudFront::Distribution') as [[string, Resource]];
    expect(JSON.stringify(distribution.Properties.DistributionConfig.WebACLId)).toMatch(/WebAcl/);
    for (const concern of Object.keys(synth.templates) as Concern[])
      expect(findWildcardGrants(synth.templates[concern].toJSON()), concern).toEqual([]);
  });
});
