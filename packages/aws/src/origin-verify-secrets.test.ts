import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsManagerOriginSecrets } from './origin-verify-secrets.js';

// The SDK's behaviour is what is tested here (aws-sdk-client-mock); the middleware is tested in test/security.
const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-verify-AbCdEf';
const notFound = () => new ResourceNotFoundException({ message: 'no such version', $metadata: {} });

describe('secretsManagerOriginSecrets', () => {
  it('accepts the current value, and the previous one while a rotation is under way; caches for the TTL', async () => {
    let time = 0;
    secrets
      .on(GetSecretValueCommand, { SecretId: secretArn, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'current-1' })
      .on(GetSecretValueCommand, { SecretId: secretArn, VersionStage: 'AWSPREVIOUS' })
      .rejects(notFound());
    const source = secretsManagerOriginSecrets({
      secretArn,
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
      ttlMs: 1000,
      now: () => time,
    });
    expect(await source.values()).toEqual(['current-1']);

    // Rotated: a new current, the old one previous. Seen once the cached values expire.
    secrets
      .on(GetSecretValueCommand, { SecretId: secretArn, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'current-2' })
      .on(GetSecretValueCommand, { SecretId: secretArn, VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: 'current-1' });
    time = 500;
    expect(await source.values()).toEqual(['current-1']);
    time = 1500;
    expect(await source.values()).toEqual(['current-2', 'current-1']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  it('keeps the values it has when a refresh fails, and fails closed when it has none', async () => {
    let time = 0;
    secrets
      .on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolvesOnce({ SecretString: 'current-1' })
      .rejects(new Error('throttled'))
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(notFound());
    const source = secretsManagerOriginSecrets({
      secretArn,
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
      ttlMs: 1000,
      now: () => time,
    });
    expect(await source.values()).toEqual(['current-1']);
    time = 5000;
    expect(await source.values()).toEqual(['current-1']);

    const empty = secretsManagerOriginSecrets({
      secretArn,
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    await expect(empty.values()).rejects.toThrow(/throttled/);
  });
});
