import { originVerifyHeader } from '@evidence-portal/api';
import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../access/directory-test-kit.js';
import { createTestApp } from '../support/app.js';

/**
 * Issue 15, item 18: the deployed API's execute-api URL bypasses CloudFront and its WAF. CloudFront adds the
 * origin-verify header (a Secrets Manager value, stacks/web.ts; the synth test in stacks/portal.test.ts
 * proves it is configured so); the API refuses any request without it before anything else runs.
 */
describe('origin verification (the raw execute-api URL is refused)', () => {
  const current = 'current-origin-secret-0123456789abcdef';
  const previous = 'previous-origin-secret-fedcba9876543210';

  async function deployedApp() {
    const logger = capturingLogger();
    const { app } = await createTestApp({
      overrides: { logger, originSecrets: { values: async () => [current, previous] } },
    });
    // app.fetch, not app.request: the test wrapper reads /api/openapi.json, which is refused here too.
    const request = (path: string, init: RequestInit = {}) =>
      app.fetch(new Request(new URL(path, 'http://portal.test'), init));
    return { app: { request }, logger };
  }

  it('refuses requests without the header, or with a wrong one, on every path, before body or session', async () => {
    const { app } = await deployedApp();
    const attempts: Array<[string, RequestInit]> = [
      ['/api/health', {}],
      ['/api/docs', {}],
      // A malformed body is not even read: the origin check comes first (403, not 400).
      ['/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
      ['/api/me', { headers: { authorization: 'Bearer anything' } }],
      ['/artifact/reports', {}],
      ['/api/health', { headers: { [originVerifyHeader]: 'a-guess' } }],
      ['/api/health', { headers: { [originVerifyHeader]: `${current}x` } }],
      ['/api/health', { headers: { [originVerifyHeader]: '' } }],
    ];
    for (const [path, init] of attempts) {
      const response = await app.request(path, init);
      expect(response.status, path).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { code: string }).code, path).toBe('origin_not_verified');
    }
  });

  it("serves CloudFront's requests: the current value, and the previous one during a rotation", async () => {
    const { app } = await deployedApp();
    for (const value of [current, previous]) {
      const response = await app.request('/api/health', { headers: { [originVerifyHeader]: value } });
      expect(response.status).toBe(200);
    }
    const signIn = await app.request('/api/session', {
      method: 'POST',
      headers: { [originVerifyHeader]: current, 'content-type': 'application/json' },
      body: '{',
    });
    expect(signIn.status).toBe(400);
  });

  it('never logs or echoes the header value', async () => {
    const { app, logger } = await deployedApp();
    const offered = 'guessed-origin-secret-value-42';
    const refused = await app.request('/api/health', { headers: { [originVerifyHeader]: offered } });
    const served = await app.request('/api/health', { headers: { [originVerifyHeader]: current } });
    const answered = (await refused.text()) + (await served.text()) + JSON.stringify([...served.headers]);
    const logged = JSON.stringify(logger.lines);
    for (const secret of [current, previous, offered]) {
      expect(logged).not.toContain(secret);
      expect(answered).not.toContain(secret);
    }
  });

  it('lets every request through where no secret is configured (the local stack, tests)', async () => {
    const { app } = await createTestApp();
    expect((await app.request('/api/health')).status).toBe(200);
  });
});
