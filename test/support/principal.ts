import type { AppEnv, PortalApp } from '@evidence-portal/api';
import type { Authorizer, Principal } from '@evidence-portal/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import { checkResponses, type OpenApiDocument } from './response-contract.js';

/** A principal for route tests that do not exercise sign-in itself. */
export function testPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    orgId: 'o-test',
    accountId: '111111111111',
    userId: 'u-test',
    email: 'tester@example.com',
    displayName: 'Tester',
    sessionId: 's-test',
    mfaPresent: true,
    tags: {},
    ...overrides,
  };
}

/** Allows everything: for route tests whose subject is not authorization. */
export const allowAllAuthorizer: Authorizer = {
  async authorize() {
    return { decision: 'Allow', reason: 'test authorizer allows everything', matchedStatements: [] };
  },
};

/** Wraps an app so every request arrives as `principal` (stands in for the session middleware). */
export function asPrincipal(app: PortalApp, principal: Principal) {
  const outer = new OpenAPIHono<AppEnv>();
  outer.use('*', async (c, next) => {
    c.set('principal', principal);
    await next();
  });
  outer.route('/', app);
  return checkResponses(outer, async () => (await app.request('/api/openapi.json')).json() as Promise<OpenApiDocument>);
}
