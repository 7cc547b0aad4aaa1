import { MemoryStore } from '@evidence-portal/core/memory-store';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, codeAt } from '../access/directory-test-kit.js';

/** Issue 15, item 12: cookie-authenticated state changes must come from the portal's own pages. */
describe('cross-site request forgery', () => {
  it('refuses a cookie-authenticated state change from another site, even bodyless; bearer and same-origin pass', async () => {
    const { app, deps, clock } = await accessTestApp({ store: new MemoryStore() });
    await seedOrganization(deps, exampleCorpSeed);
    const admin = exampleCorpSeed.users.find((user) => user.email === 'admin@example.com');
    const signedIn = await app.request('http://portal.example/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'portal.example' },
      body: JSON.stringify({
        organization: exampleCorpSeed.orgId,
        email: 'admin@example.com',
        password: admin?.password,
        totp: codeAt(demoAdminTotpSecret, clock),
      }),
    });
    const { token } = (await signedIn.json()) as { token: string };
    const deactivate = (headers: Record<string, string>) =>
      app.request('http://portal.example/api/org/users/u-demoengineer/deactivate', {
        method: 'POST',
        headers: { host: 'portal.example', ...headers },
      });
    const cookie = `__Host-session=${token}`;

    const foreignOrigin = await deactivate({ cookie, origin: 'https://evil.example' });
    const crossSite = await deactivate({ cookie, 'sec-fetch-site': 'cross-site' });
    const sameSite = await deactivate({ cookie, 'sec-fetch-site': 'same-site', origin: 'https://app.portal.example' });
    const stillActive = (await deps.users.get(exampleCorpSeed.orgId, 'u-demoengineer')).status;
    const ownPage = await deactivate({ cookie, 'sec-fetch-site': 'same-origin', origin: 'http://portal.example' });

    for (const refused of [foreignOrigin, crossSite, sameSite]) {
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe('cross_site_request');
    }
    expect(stillActive).toBe('active');
    expect(ownPage.status).toBeLessThan(300);
    // A bearer token is never attached by a browser on its own: Origin does not matter for it.
    const bearer = await app.request('http://portal.example/api/org/users/u-demoauditor/deactivate', {
      method: 'POST',
      headers: { host: 'portal.example', origin: 'https://tool.example', authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBeLessThan(300);
  });
});
