import { describe, expect, it } from 'vitest';
import { extensionOriginSecrets } from './origin-verify-secrets.js';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-verify-AbCdEf';

/** The Parameters and Secrets extension's HTTP interface, as a fake fetch over a table of stage -> answer. */
function extension(answers: Record<string, { status: number; body?: unknown } | Error>) {
  const calls: Array<{ url: URL; token: string | null }> = [];
  const fetch = (async (input: string, init?: RequestInit) => {
    const url = new URL(input);
    calls.push({ url, token: new Headers(init?.headers).get('x-aws-parameters-secrets-token') });
    const answer = answers[url.searchParams.get('versionStage') ?? ''];
    if (!answer || answer instanceof Error) throw answer ?? new Error('no answer');
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls, answers };
}

describe('extensionOriginSecrets', () => {
  it('asks the extension on loopback with the session token; current, and previous during a rotation; caches', async () => {
    let time = 0;
    const fake = extension({
      AWSCURRENT: { status: 200, body: { SecretString: 'current-1' } },
      AWSPREVIOUS: { status: 400, body: { message: 'no such version' } },
    });
    const source = extensionOriginSecrets({
      secretArn,
      sessionToken: 'tok',
      fetch: fake.fetch,
      ttlMs: 1000,
      now: () => time,
    });
    expect(await source.values()).toEqual(['current-1']);
    expect(fake.calls[0]?.url.origin).toBe('http://localhost:2773');
    expect(fake.calls[0]?.url.pathname).toBe('/secretsmanager/get');
    expect(fake.calls[0]?.url.searchParams.get('secretId')).toBe(secretArn);
    expect(fake.calls.every((call) => call.token === 'tok')).toBe(true);

    fake.answers.AWSCURRENT = { status: 200, body: { SecretString: 'current-2' } };
    fake.answers.AWSPREVIOUS = { status: 200, body: { SecretString: 'current-1' } };
    time = 500;
    expect(await source.values()).toEqual(['current-1']);
    time = 1500;
    expect(await source.values()).toEqual(['current-2', 'current-1']);
    expect(fake.calls).toHaveLength(4);
  });

  it('keeps the values it has when a refresh fails, and fails closed when it has none', async () => {
    let time = 0;
    const fake = extension({
      AWSCURRENT: { status: 200, body: { SecretString: 'current-1' } },
      AWSPREVIOUS: { status: 404 },
    });
    const source = extensionOriginSecrets({
      secretArn,
      sessionToken: 'tok',
      fetch: fake.fetch,
      ttlMs: 1000,
      now: () => time,
    });
    expect(await source.values()).toEqual(['current-1']);
    fake.answers.AWSCURRENT = { status: 500 };
    time = 5000;
    expect(await source.values()).toEqual(['current-1']);

    const empty = extensionOriginSecrets({ secretArn, sessionToken: 'tok', fetch: fake.fetch });
    await expect(empty.values()).rejects.toThrow(/answered 500/);
  });
});
