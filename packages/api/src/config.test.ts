import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const valid = {
  PORTAL_STAGE: 'sandbox',
  AWS_REGION: 'eu-west-1',
  PORTAL_TABLE_NAME: 'portal',
  PORTAL_REPORTS_BUCKET: 'r',
  PORTAL_BUNDLES_BUCKET: 'b',
  PORTAL_CHECKPOINTS_BUCKET: 'c',
  PORTAL_SIGNING_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
  PORTAL_DATA_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/def',
  PORTAL_SITE_ORIGIN: 'https://portal.example.com',
  PORTAL_MAIL_FROM: 'no-reply@portal.example.com',
};

function configErrorOf(environment: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts a complete AWS environment without local endpoints', () => {
    const config = loadConfig(valid);
    expect(config.endpoints).toBeUndefined();
    expect(config.buckets).toEqual({ reports: 'r', bundles: 'b', checkpoints: 'c' });
    expect(config.logLevel).toBe('info');
    expect(config.port).toBe(3000);
    expect(config.mail).toEqual({ from: 'no-reply@portal.example.com' });
  });

  it('refuses an AWS environment without an SES sender: mail must leave, never sit in a log', () => {
    const { PORTAL_MAIL_FROM: _m, ...rest } = valid;
    expect(configErrorOf(rest).problems).toEqual([
      'PORTAL_MAIL_FROM is missing (the SES sender identity; required outside the local stack)',
    ]);
  });

  it('names every missing variable', () => {
    const { PORTAL_TABLE_NAME: _t, PORTAL_DATA_KEY_ARN: _d, ...rest } = valid;
    const error = configErrorOf(rest);
    expect(error.problems).toEqual(
      expect.arrayContaining(['PORTAL_TABLE_NAME is missing', 'PORTAL_DATA_KEY_ARN is missing']),
    );
    expect(error.message).toContain('PORTAL_TABLE_NAME is missing');
  });

  it('names an invalid variable and why', () => {
    const error = configErrorOf({ ...valid, PORTAL_SIGNING_KEY_ARN: 'my-key', PORT: 'eighty' });
    expect(error.problems.join('\n')).toMatch(/PORTAL_SIGNING_KEY_ARN is invalid: a KMS key ARN/);
    expect(error.problems.join('\n')).toMatch(/PORT is invalid/);
  });

  it('wants all local endpoints or none', () => {
    const error = configErrorOf({ ...valid, PORTAL_KMS_ENDPOINT: 'http://127.0.0.1:4000' });
    expect(error.problems).toEqual([
      'PORTAL_DYNAMODB_ENDPOINT is missing (local endpoints are all or none)',
      'PORTAL_S3_ENDPOINT is missing (local endpoints are all or none)',
    ]);
  });
});
