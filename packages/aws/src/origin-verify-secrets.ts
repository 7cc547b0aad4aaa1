import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

export interface SecretsManagerOriginSecretsOptions {
  secretArn: string;
  client?: SecretsManagerClient;
  region?: string;
  /** How long values are kept before asking again (default 5 minutes); a rotation is seen within it. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * The origin-verify secret's current and previous values (AWSCURRENT, AWSPREVIOUS), cached. Both are
 * accepted, so putting a new value and then redeploying CloudFront refuses no request in between
 * (docs/deploy.md). A failed refresh keeps the values it had; with none, it throws (the API refuses).
 */
export function secretsManagerOriginSecrets(options: SecretsManagerOriginSecretsOptions) {
  const client = options.client ?? new SecretsManagerClient(options.region ? { region: options.region } : {});
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { values: readonly string[]; at: number } | undefined;
  let pending: Promise<readonly string[]> | undefined;

  const stage = async (versionStage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    try {
      const answer = await client.send(
        new GetSecretValueCommand({ SecretId: options.secretArn, VersionStage: versionStage }),
      );
      return answer.SecretString || undefined;
    } catch (error) {
      // A secret never rotated has no AWSPREVIOUS.
      if (versionStage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
  const refresh = async (): Promise<readonly string[]> => {
    const [current, previous] = await Promise.all([stage('AWSCURRENT'), stage('AWSPREVIOUS')]);
    if (!current) throw new Error('the origin-verify secret has no current value');
    const values = previous && previous !== current ? [current, previous] : [current];
    cached = { values, at: now() };
    return values;
  };

  return {
    async values(): Promise<readonly string[]> {
      if (cached && now() - cached.at < ttlMs) return cached.values;
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      try {
        return await pending;
      } catch (error) {
        if (cached) return cached.values;
        throw error;
      }
    },
  };
}
