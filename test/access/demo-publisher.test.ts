import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@evidence-portal/api';
import { totpCode } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, portalOperatorSeed, seedDemoData } from '../../packages/cli/src/demo-seed.js';
import { createTestApp } from '../support/app.js';
import { requester } from './directory-test-kit.js';

describe('demo seed: the portal operator’s publisher', () => {
  it('is written to the credentials file, signs in and may publish; a customer admin may not', async () => {
    const { app, deps } = await createTestApp();
    const call = requester(app);
    const credentialsPath = join(mkdtempSync(join(tmpdir(), 'demo-credentials-')), 'demo-credentials.json');
    await seedDemoData({ ...deps, logger: silentLogger }, { credentialsPath });
    await seedDemoData({ ...deps, logger: silentLogger }); // a second start changes nothing
    await deps.reports.grantPublisher({ orgId: portalOperatorSeed.orgId, operator: true, companies: [] });
    const credentials = JSON.parse(readFileSync(credentialsPath, 'utf8')) as {
      users: Array<{ email: string; password: string }>;
    };
    const publisher = credentials.users.find((user) => user.email === 'publisher@example.net');
    const admin = credentials.users.find((user) => user.email === 'admin@example.com');
    const signIn = async (body: Record<string, string>) =>
      (await call('POST', '/api/session', { body })).body.token as string;
    const publisherToken = await signIn({ email: 'publisher@example.net', password: publisher?.password ?? '' });
    const adminToken = await signIn({
      email: 'admin@example.com',
      password: admin?.password ?? '',
      totp: totpCode(demoAdminTotpSecret, deps.clock.now()),
    });
    const terms = { title: 'Demo terms', text: 'Shared in confidence.' };

    const me = await call('GET', '/api/me', { token: publisherToken });
    const published = await call('POST', '/api/report-terms', { token: publisherToken, body: terms });
    const refused = await call('POST', '/api/report-terms', { token: adminToken, body: terms });

    expect(me.status).toBe(200);
    expect(me.body.organization).toEqual({ orgId: 'o-portal-operator', name: 'Example Cloud' });
    expect(me.body.groups).toEqual([{ groupId: 'g-publishers', name: 'Publishers' }]);
    expect(published.status).toBe(201);
    expect(refused.status).toBe(403);
  });
});
