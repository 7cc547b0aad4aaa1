import { spawn } from 'node:child_process';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { silentLogger } from '@evidence-portal/api';
import { totpCode } from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { serve } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoAgreements } from '../../packages/cli/src/demo-agreements.js';
import { seedDemoReports } from '../../packages/cli/src/demo-reports.js';
import {
  demoAdminTotpSecret,
  exampleCorpSeed,
  portalOperatorSeed,
  seedDemoData,
} from '../../packages/cli/src/demo-seed.js';
import { createTestApp } from '../support/app.js';
import { ensureBoto3Venv } from './python-venv.js';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
});

/** Runs the driver to its end; resolves with its exit code and output (it prints one JSON line per check). */
function runDriver(python: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(python, [join(import.meta.dirname, 'boto3_driver.py')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the Artifact API through boto3 (a client nobody here wrote)', () => {
  it('serves every operation boto3 calls, with Artifact’s shapes, paging and errors', {
    timeout: 240_000,
  }, async () => {
    // Prepare: boto3 in a cached venv (fails naming the apt line when Python's venv is missing), the demo seed.
    const python = ensureBoto3Venv();
    // The store is in memory (the DynamoDB adapter has its own tests); KMS (the access keys' secrets) and S3
    // (the presigned term and report URLs boto3 follows) are the real local services.
    const { app, deps } = await createTestApp({ overrides: { store: new MemoryStore() } });
    const quiet = { ...deps, logger: silentLogger };
    await seedDemoData(quiet);
    await seedDemoReports(quiet);
    await seedDemoAgreements(quiet, {
      orgId: exampleCorpSeed.orgId,
      accountWithOwnBaa: '333333333333',
      acceptedBy: { userId: 'u-demoadmin', email: 'admin@example.com' },
      publisherOrgId: 'o-portal-operator',
    });
    const server = await new Promise<Server>((ready) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(started as Server));
    });
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signIn = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organization: exampleCorpSeed.orgId,
        email: 'admin@example.com',
        password: exampleCorpSeed.users.find((user) => user.email === 'admin@example.com')?.password,
        totp: totpCode(demoAdminTotpSecret, deps.clock.now()),
      }),
    });
    const { token } = (await signIn.json()) as { token: string };
    // The portal operator's publisher answers compliance inquiries in human review (portal API).
    const publisherSignIn = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organization: portalOperatorSeed.orgId,
        email: 'publisher@example.net',
        password: portalOperatorSeed.users.find((user) => user.email === 'publisher@example.net')?.password,
      }),
    });
    expect(publisherSignIn.status).toBe(201);
    const publisherToken = ((await publisherSignIn.json()) as { token: string }).token;
    const created = await app.request('/api/me/access-keys', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { accessKeyId: string; secretAccessKey: string };

    // Act: the driver runs every operation in one process against this one server.
    const run = await runDriver(python, {
      ARTIFACT_ENDPOINT: `${base}/artifact`,
      PORTAL_API: `${base}/api`,
      ADMIN_TOKEN: token,
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      ORG_ID: exampleCorpSeed.orgId,
      MFA_SECRET: demoAdminTotpSecret,
      PUBLISHER_TOKEN: publisherToken,
    });

    // Assert: every check passed, and the suite reached its end.
    const failed = run.stdout
      .split('\n')
      .filter((line) => line.includes('"ok": false'))
      .join('\n');
    expect(failed, `${run.stderr}\n${run.stdout.slice(-3000)}`).toBe('');
    expect(run.code, `${run.stderr}\n${run.stdout.slice(-3000)}`).toBe(0);
    expect(run.stdout).toContain('"done": true');
  });
});
