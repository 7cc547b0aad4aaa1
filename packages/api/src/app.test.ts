import type { Store } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/app.js';
import { portalRoute } from './route-definition.js';

const securityHeaderNames = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'referrer-policy',
  'x-request-id',
];

function expectSecurityHeaders(response: Response) {
  for (const name of securityHeaderNames) expect(response.headers.get(name), name).toBeTruthy();
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain(`object-src 'none'`);
  expect(csp).toContain(`base-uri 'none'`);
  expect(csp).toContain(`frame-ancestors 'none'`);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  expect(body.type).toBe(`urn:evidence-portal:problem:${code}`);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expectSecurityHeaders(response);
  return body;
}

describe('API skeleton', () => {
  it('GET /api/health reports every dependency up against the local stack', async () => {
    const { app } = await createTestApp();
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      stage: 'test',
      checks: { store: 'up', kms: 'up', s3: 'up' },
    });
    expectSecurityHeaders(response);
  });

  it('GET /api/health answers 503 naming the dependency that is down', async () => {
    const { app } = await createTestApp({ tableName: 'table-that-does-not-exist' });
    const response = await app.request('/api/health');
    const body = await expectProblem(response, 503, 'dependency_down');
    expect(body.checks).toEqual({ store: 'down', kms: 'up', s3: 'up' });
    expect(body.detail).toBe('Unreachable: store.');
  });

  it('overlapping health checks share one probe of each dependency; a later check probes afresh', async () => {
    // prepare: count the signer's probes, each held open until released
    const { app, deps } = await createTestApp();
    let probes = 0;
    let release = () => {};
    const ping = deps.signer.ping.bind(deps.signer);
    deps.signer.ping = async () => {
      probes += 1;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      await ping();
    };
    // act
    const burst = Array.from({ length: 20 }, () => app.request('/api/health'));
    await expect.poll(() => probes).toBe(1);
    release();
    const statuses = (await Promise.all(burst)).map((response) => response.status);
    const later = app.request('/api/health');
    await expect.poll(() => probes).toBe(2);
    release();
    // assert
    expect(statuses).toEqual(Array(20).fill(200));
    expect((await later).status).toBe(200);
  });

  it('unknown routes are 404 problems with security headers', async () => {
    const { app } = await createTestApp();
    await expectProblem(await app.request('/api/no-such-thing'), 404, 'route_not_found');
    await expectProblem(await app.request('/api/health', { method: 'DELETE' }), 404, 'route_not_found');
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const { app } = await createTestApp();
    const kept = await app.request('/api/health', { headers: { 'x-request-id': 'trace-1234abcd' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-1234abcd');
    const replaced = await app.request('/api/health', { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses oversize bodies with 413 and non-JSON state-changing bodies with 415', async () => {
    const { app, config } = await createTestApp();
    const big = 'x'.repeat(config.maxBodyBytes + 1);
    await expectProblem(
      await app.request('/api/health', {
        method: 'POST',
        body: JSON.stringify({ big }),
        headers: { 'content-type': 'application/json' },
      }),
      413,
      'body_too_large',
    );
    await expectProblem(
      await app.request('/api/health', {
        method: 'POST',
        body: 'a=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
  });

  it('answers an unexpected error with a bare 500 problem and logs it', async () => {
    const lines: string[] = [];
    const failingStore = {
      ping: () => Promise.reject(new Error('db password is hunter2')),
    } as unknown as Store;
    const logger = {
      log: (level: string, msg: string, fields?: Record<string, unknown>) =>
        lines.push(JSON.stringify({ level, msg, ...fields })),
      child() {
        return logger;
      },
    };
    const { app } = await createTestApp({ overrides: { store: failingStore, logger } });
    const exploding = portalRoute({
      method: 'get',
      path: '/api/explode',
      authorization: { kind: 'public', reason: 'test' },
      responses: { 200: { description: 'never', content: { 'application/json': { schema: z.object({}) } } } },
    });
    app.openapi(exploding, () => {
      throw new TypeError('secret internals');
    });
    const body = await expectProblem(await app.request('/api/explode'), 500, 'internal_error');
    expect(JSON.stringify(body)).not.toContain('secret internals');
    expect(lines.some((line) => line.includes('unhandled error') && line.includes('secret internals'))).toBe(true);
    // the health check's failure is logged by message only, never surfaced
    const health = await app.request('/api/health');
    expect(JSON.stringify(await health.json())).not.toContain('hunter2');
  });

  it('serves an OpenAPI 3 document and an interactive docs page with a nonce-only CSP', async () => {
    const { app } = await createTestApp();
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/docs']));
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.headers.get('content-security-policy')).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(html).toContain('/api/openapi.json');
  });

  it('lets the browser PUT report files to the presigned upload URL under the CSP (connect-src names its origin)', async () => {
    const { app, deps } = await createTestApp();
    const url = await deps.blobs.presignPut('reports', 'originals/rpt-csp/1/report.pdf', {
      expiresInSeconds: 60,
      contentType: 'application/pdf',
    });
    const csp = (await app.request('/api/health')).headers.get('content-security-policy') ?? '';
    const connectSrc = csp.split('; ').find((directive) => directive.startsWith('connect-src '));
    expect(connectSrc?.split(' ')).toEqual(['connect-src', `'self'`, new URL(url).origin]);
  });
});
