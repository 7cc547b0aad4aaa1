export interface ExtensionOriginSecretsOptions {
  secretArn: string;
  /**
   * The function's session token (AWS_SESSION_TOKEN, read by the composition root's config): the
   * extension serves only callers inside the execution environment that present it.
   */
  sessionToken: string;
  /** The AWS Parameters and Secrets Lambda Extension's port (its default, 2773). */
  port?: number;
  /** How long values are kept before asking again (default 5 minutes); a rotation is seen within it. */
  ttlMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * The origin-verify secret's current and previous values (AWSCURRENT, AWSPREVIOUS), read through the AWS
 * Parameters and Secrets Lambda Extension (a layer, stacks/lambda.ts) over loopback HTTP, so the API bundle
 * carries no Secrets Manager client (stacks/api-bundle.test.ts). Both values are accepted: putting a new
 * value and then redeploying CloudFront refuses no request in between (docs/deploy.md). A failed refresh
 * keeps the values it had; with none, it throws, and the API refuses the request.
 */
export function extensionOriginSecrets(options: ExtensionOriginSecretsOptions) {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const get = options.fetch ?? fetch;
  let cached: { values: readonly string[]; at: number } | undefined;
  let pending: Promise<readonly string[]> | undefined;

  const stage = async (versionStage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    const query = new URLSearchParams({ secretId: options.secretArn, versionStage });
    const response = await get(`http://localhost:${options.port ?? 2773}/secretsmanager/get?${query}`, {
      headers: { 'X-Aws-Parameters-Secrets-Token': options.sessionToken },
    });
    // A secret never rotated has no AWSPREVIOUS (the extension relays Secrets Manager's 4xx).
    if (versionStage === 'AWSPREVIOUS' && response.status >= 400 && response.status < 500) return undefined;
    if (!response.ok) throw new Error(`the secrets extension answered ${response.status} for ${versionStage}`);
    const body = (await response.json()) as { SecretString?: string };
    return body.SecretString || undefined;
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
