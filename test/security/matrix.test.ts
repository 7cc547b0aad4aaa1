import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, codeAt, requester } from '../access/directory-test-kit.js';
import { byTier } from '../support/context.js';
import { tableSnapshot } from '../support/table-snapshot.js';
import { otherCoSeed } from './second-organization.js';

const passwords = Object.fromEntries(exampleCorpSeed.users.map((u) => [u.email, u.password]));

async function twoTenants() {
  const made = await accessTestApp();
  await seedOrganization(made.deps, exampleCorpSeed);
  await seedOrganization(made.deps, otherCoSeed);
  const call = requester(made.app);
  const signIn = async (email: string, totp?: string) =>
    (await call('POST', '/api/session', { body: { email, password: passwords[email], ...(totp ? { totp } : {}) } }))
      .body.token as string;
  const admin = await signIn('admin@example.com', codeAt(demoAdminTotpSecret, made.clock));
  const engineer = await signIn('engineer@example.com');
  return { ...made, call, admin, engineer };
}

interface Probe {
  name: string;
  method: string;
  /** One request per variant: the caller's own object, another tenant's, and one that exists nowhere. */
  own: { path: string; body?: unknown };
  other: { path: string; body?: unknown };
  missing: { path: string; body?: unknown };
}

/** A probe whose three variants differ only in the id they name: `at(id)` is the request. */
function varying(
  name: string,
  method: string,
  at: (id: string) => { path: string; body?: unknown },
  own: string,
  other: string,
  missing: string,
): Probe {
  return { name, method, own: at(own), other: at(other), missing: at(missing) };
}

/** Every route that names an object (in its path or its body). Own variants are harmless or run last. */
const probes: Probe[] = [
  varying(
    'read a policy',
    'GET',
    (id) => ({ path: `/api/org/policies/${id}` }),
    'p-healthcareevidence',
    'p-otherpolicy',
    'p-nosuchpolicy',
  ),
  varying(
    'delete an OU',
    'DELETE',
    (id) => ({ path: `/api/org/units/${id}` }),
    'ou-production',
    'ou-otherunit',
    'ou-nosuchunit',
  ),
  varying(
    'remove an account',
    'DELETE',
    (id) => ({ path: `/api/org/accounts/${id}` }),
    '111111111111',
    '900000000002',
    '999999999999',
  ),
  varying(
    'move an account',
    'POST',
    (id) => ({ path: `/api/org/accounts/${id}/move`, body: { destinationParentId: 'ou-production' } }),
    '222222222222',
    '900000000002',
    '999999999999',
  ),
  varying(
    'move an account into an OU',
    'POST',
    (id) => ({ path: '/api/org/accounts/222222222222/move', body: { destinationParentId: id } }),
    'ou-production',
    'ou-otherunit',
    'ou-nosuchunit',
  ),
  {
    name: 'create an OU under a parent',
    method: 'POST',
    own: { path: '/api/org/units', body: { name: 'New', parentId: 'ou-nosuchunit' } },
    other: { path: '/api/org/units', body: { name: 'New', parentId: 'ou-otherunit' } },
    missing: { path: '/api/org/units', body: { name: 'New', parentId: 'ou-nosuchunit' } },
  },
  varying(
    'add a group member',
    'POST',
    (id) => ({ path: `/api/org/groups/${id}/members`, body: { userId: 'u-demoengineer' } }),
    'g-engineers',
    'g-othergroup',
    'g-nosuchgroup',
  ),
  varying(
    'add another tenant user to a group',
    'POST',
    (id) => ({ path: '/api/org/groups/g-engineers/members', body: { userId: id } }),
    'u-demoengineer',
    'u-otheradmin',
    'u-nosuchuser',
  ),
  {
    name: 'remove a group member',
    method: 'DELETE',
    own: { path: '/api/org/groups/g-auditors/members/u-nosuchuser' },
    other: { path: '/api/org/groups/g-othergroup/members/u-otheradmin' },
    missing: { path: '/api/org/groups/g-nosuchgroup/members/u-otheradmin' },
  },
  varying(
    'grant a role',
    'POST',
    (id) => ({
      path: `/api/org/roles/${id}/grants`,
      body: { userId: 'u-demoauditor', expiresAt: '2026-03-03T00:00:00Z' },
    }),
    'role-complianceofficer',
    'role-otherrole',
    'role-nosuchrole',
  ),
  varying(
    'attach a policy to a group',
    'POST',
    (id) => ({
      path: '/api/org/attachments',
      body: { targetType: 'group', targetId: id, policy: 'AgreementsReadOnly' },
    }),
    'g-engineers',
    'g-othergroup',
    'g-nosuchgroup',
  ),
  varying(
    "attach another tenant's policy",
    'POST',
    (id) => ({ path: '/api/org/attachments', body: { targetType: 'group', targetId: 'g-engineers', policy: id } }),
    'p-healthcareevidence',
    'p-otherpolicy',
    'p-nosuchpolicy',
  ),
  {
    name: 'detach a policy',
    method: 'DELETE',
    own: { path: '/api/org/attachments/group/g-engineers/p-nosuchpolicy' },
    other: { path: '/api/org/attachments/group/g-othergroup/p-otherpolicy' },
    missing: { path: '/api/org/attachments/group/g-nosuchgroup/p-otherpolicy' },
  },
  varying(
    'attach a guardrail',
    'POST',
    (id) => ({ path: '/api/org/guardrails', body: { targetId: id, policy: 'FullAccessGuardrail' } }),
    'ou-sandbox',
    'ou-otherunit',
    'ou-nosuchunit',
  ),
  {
    name: 'detach a guardrail',
    method: 'DELETE',
    own: { path: '/api/org/guardrails/ou-sandbox/p-nosuchpolicy' },
    other: { path: '/api/org/guardrails/ou-otherunit/FullAccessGuardrail' },
    missing: { path: '/api/org/guardrails/ou-nosuchunit/FullAccessGuardrail' },
  },
  varying(
    'simulate another principal',
    'POST',
    (id) => ({ path: '/api/org/simulate', body: { principal: id, action: 'portal:GetReport', resource: '*' } }),
    'engineer@example.com',
    'admin@other.example',
    'nobody@nowhere.example',
  ),
  varying(
    'deactivate a user',
    'POST',
    (id) => ({ path: `/api/org/users/${id}/deactivate` }),
    'u-demoauditor',
    'u-otheradmin',
    'u-nosuchuser',
  ),
];

function comparable(response: { status: number; body: Record<string, unknown> }) {
  return { status: response.status, code: response.body.code, detail: response.body.detail };
}

describe('tenant isolation matrix', () => {
  it('route × principal × {own, other-org, nonexistent}: another tenant’s object answers exactly like a missing one', async () => {
    const { call, admin, engineer } = await twoTenants();
    const results: string[] = [];

    for (const probe of probes) {
      for (const [label, token] of [
        ['admin', admin],
        ['engineer', engineer],
        ['anonymous', undefined],
      ] as const) {
        const send = (variant: { path: string; body?: unknown }) =>
          call(probe.method, variant.path, {
            ...(token ? { token } : {}),
            ...(variant.body ? { body: variant.body } : {}),
          });
        const other = await send(probe.other);
        const missing = await send(probe.missing);
        const own = await send(probe.own);
        // A 403 echoes the caller's own resource string, so only status and code must match there.
        const seen = (r: typeof other) => (label === 'admin' ? comparable(r) : { status: r.status, code: r.body.code });
        expect(seen(other), `${probe.name} as ${label}`).toEqual(seen(missing));
        if (label === 'admin') {
          expect(other.status, `${probe.name} as admin`).toBe(404);
        } else if (label === 'engineer') {
          expect([own.status, other.status], `${probe.name} as engineer`).toEqual([403, 403]);
        } else {
          expect([own.status, other.status], `${probe.name} anonymously`).toEqual([401, 401]);
        }
        results.push(`${probe.name}/${label}: own ${own.status}, other ${other.status}, missing ${missing.status}`);
      }
    }
    expect(results).toHaveLength(probes.length * 3);
  }, 120_000);

  it('lists show only the caller’s organization', async () => {
    const { call, admin } = await twoTenants();
    const lists = [
      '/api/org/users',
      '/api/org/groups',
      '/api/org/roles',
      '/api/org/policies',
      '/api/org/accounts',
      '/api/org/units',
    ];

    const bodies = await Promise.all(lists.map((path) => call('GET', path, { token: admin })));

    const text = JSON.stringify(bodies.map((b) => b.body));
    expect(bodies.every((b) => b.status === 200)).toBe(true);
    expect(text).not.toMatch(
      /otherco|other\.example|9000000000|ou-otherunit|g-othergroup|role-otherrole|p-otherpolicy/,
    );
  });
});

/** Minimal valid bodies of the identity and organization write endpoints (the test fails if one lacks one). */
const validBodies: Record<string, unknown> = {
  'POST /api/session': { organization: 'o-examplecorp', email: 'engineer@example.com', password: 'x' },
  'POST /api/session/role': { roleId: 'role-complianceofficer' },
  'POST /api/session/mfa': { totp: '123456' },
  'POST /api/session/password-reset': { organization: 'o-examplecorp', email: 'engineer@example.com' },
  'POST /api/session/password': { token: 'x', newPassword: 'Lumen-Quartz-Ridge-64' },
  'POST /api/me/mfa': { password: 'x' },
  'POST /api/me/mfa/confirm': { totp: '123456' },
  'POST /api/me/password': { currentPassword: 'x', newPassword: 'Lumen-Quartz-Ridge-64' },
  'POST /api/me/access-keys': {},
  'PATCH /api/me/access-keys/{accessKeyId}': { status: 'Inactive' },
  'POST /api/org/units': { name: 'Unit', parentId: 'r-examplecorp' },
  'POST /api/org/accounts': { name: 'Account' },
  'POST /api/org/accounts/{accountId}/move': { destinationParentId: 'r-examplecorp' },
  'POST /api/org/users': { email: 'new@example.com', displayName: 'New', accountId: '222222222222' },
  'POST /api/org/groups': { name: 'Group' },
  'POST /api/org/groups/{groupId}/members': { userId: 'u-demoengineer' },
  'POST /api/org/roles': { name: 'Role', trust: {} },
  'POST /api/org/roles/{roleId}/grants': { userId: 'u-demoengineer', expiresAt: '2026-03-03T00:00:00Z' },
  'POST /api/org/policies': { name: 'P', document: { Version: '2012-10-17', Statement: [] } },
  'POST /api/org/attachments': { targetType: 'group', targetId: 'g-engineers', policy: 'ReportsReadOnly' },
  'POST /api/org/guardrails': { targetId: 'ou-sandbox', policy: 'FullAccessGuardrail' },
  'POST /api/org/simulate': { principal: 'engineer@example.com', action: 'portal:GetReport', resource: '*' },
};

const pathValues: Record<string, string> = {
  accountId: '222222222222',
  groupId: 'g-engineers',
  roleId: 'role-complianceofficer',
  accessKeyId: 'AKIAPROBEPROBEPROBE2',
};

/** Fields a client must never be able to set. */
const forbiddenFields = fc.oneof(
  fc.constantFrom(
    'orgId',
    'role',
    'isManagement',
    'status',
    'mfaSecret',
    'mfaEnabled',
    'password',
    'passwordHash',
    'version',
    'pk',
    'sk',
    'gsi1pk',
    'ttl',
    'createdAt',
    'joinedAt',
    'policyId',
    'unitId',
    'expiresAt',
    '__proto__',
    'constructor',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } & ObjectSchema }> } }>
  >;
  components?: { schemas?: Record<string, ObjectSchema> };
}
interface ObjectSchema {
  type?: string;
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
}

/** The JSON request schema of an operation, `$ref` resolved. */
function requestSchema(document: OpenApiDocument, path: string, method: string): ObjectSchema | undefined {
  const schema = document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
  if (!schema?.$ref) return schema;
  return document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
}

/** Identity and organization operations with a request body, as `METHOD /path` (OpenAPI paths are under /api). */
function identityWrites(document: OpenApiDocument): Array<{ key: string; path: string; method: string }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op.requestBody !== undefined && /^\/api\/(org|session|me)\b/.test(path))
      .map(([method]) => ({ key: `${method.toUpperCase()} ${path}`, path, method })),
  );
}

describe('write endpoints refuse fields the client should not set', () => {
  it(
    'every identity and organization write endpoint rejects extra fields and persists nothing',
    async () => {
      const { app, call, admin, tableName } = await twoTenants();
      const document = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument;
      const writes = identityWrites(document);
      expect(writes.filter(({ key }) => !(key in validBodies)).map(({ key }) => key)).toEqual([]);
      const before = await tableSnapshot(tableName);

      for (const { key, path: template, method } of writes) {
        const base = validBodies[key] as Record<string, unknown>;
        const allowed = Object.keys(requestSchema(document, template, method)?.properties ?? {});
        // A body with fields must publish them (the schema resolved); an empty body (create an access key) has none.
        if (Object.keys(base).length > 0) expect(allowed.length, `${key} publishes its fields`).toBeGreaterThan(0);
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name] ?? 'x');
        await fc.assert(
          fc.asyncProperty(
            forbiddenFields.filter((field) => !allowed.includes(field) && field.trim() === field && field !== ''),
            fc.jsonValue({ maxDepth: 2 }),
            async (field, value) => {
              const body = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
              Object.defineProperty(body, field, { value, enumerable: true, configurable: true, writable: true });
              const response = await call(method.toUpperCase(), path, { token: admin, body });
              expect(response.status, `${key} with ${field}`).toBe(400);
              expect(JSON.stringify(response.body.errors)).toContain('nrecognized');
            },
          ),
          { numRuns: byTier(15, 1000) },
        );
      }
      expect(await tableSnapshot(tableName)).toEqual(before);
    },
    byTier(180_000, 7_200_000),
  );

  it('identity and organization write endpoints publish closed request schemas (additionalProperties: false)', async () => {
    const { app } = await accessTestApp();
    const document = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument;

    const open = identityWrites(document).filter(({ path, method }) => {
      const schema = requestSchema(document, path, method);
      return schema?.type === 'object' && schema.additionalProperties !== false;
    });

    expect(open.map(({ key }) => key)).toEqual([]);
    expect(identityWrites(document).length).toBeGreaterThanOrEqual(19);
  });
});
