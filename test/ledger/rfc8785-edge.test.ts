import { ValidationError } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';
import { actor } from './ledger-fixtures.js';

const orgId = 'o-jcs';

async function app() {
  const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
  return { mine: asPrincipal(app, testPrincipal({ orgId })), deps };
}

const post = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
const statement = (sid: string) =>
  `{"Version":"2012-10-17","Statement":[{"Sid":"${sid}","Effect":"Allow","Action":"portal:ListReports","Resource":"*"}]}`;

// RFC 8785 cannot canonicalize a lone surrogate, so nothing carrying one may reach a ledger entry; a
// lone surrogate reached a real entry through POST /api/org/policies before.
describe('JSON bodies without an RFC 8785 form are refused at the edge', () => {
  it('answers 400 naming the field, for a lone surrogate in a value or a member name, on any route', async () => {
    const { mine, deps } = await app();

    const inValue = await mine.request('/api/org/policies', post(`{"name":"p1","document":${statement('\\ud800')}}`));
    const inName = await mine.request('/api/org/policies', post(`{"name":"p2","document":{"\\udfff":1}}`));
    const elsewhere = await mine.request(
      '/api/subscriptions',
      post('{"kinds":["report.published"],"filters":{"reportSeries":"\\udbff"},"channels":["feed"]}'),
    );

    expect(inValue.status).toBe(400);
    expect(await inValue.json()).toMatchObject({
      code: 'validation_failed',
      errors: [
        { path: 'body.document.Statement[0].Sid', message: expect.stringMatching(/lone surrogate \(U\+D800\)/) },
      ],
    });
    expect(await inName.json()).toMatchObject({ status: 400, errors: [{ path: 'body.document["\\udfff"]' }] });
    expect(await elsewhere.json()).toMatchObject({ status: 400, errors: [{ path: 'body.filters.reportSeries' }] });
    // Nothing was recorded.
    expect(await deps.ledger.head(orgId)).toBeUndefined();
  });

  it('answers 400 for a sparse array or an undefined member (not JSON at all)', async () => {
    const { mine, deps } = await app();

    const sparse = await mine.request(
      '/api/org/policies',
      post('{"name":"p3","document":{"Version":"2012-10-17","Statement":[1,,3]}}'),
    );
    const undefinedMember = await mine.request(
      '/api/org/policies',
      post('{"name":"p4","description":undefined,"document":{}}'),
    );

    for (const response of [sparse, undefinedMember]) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(await deps.ledger.head(orgId)).toBeUndefined();
  });

  it('still records a policy whose text uses paired surrogates (emoji) and escapes', async () => {
    const { mine, deps } = await app();

    const created = await mine.request(
      '/api/org/policies',
      post(`{"name":"p5","description":"Ok \\ud83d\\ude00 \\u00e9","document":${statement('Ok')}}`),
    );

    expect(created.status).toBe(201);
    expect((await deps.ledger.head(orgId))?.seq).toBe(1);
    expect(await deps.ledger.verify(orgId)).toMatchObject({ valid: true });
  });

  it('makes the ledger itself refuse such details, naming the member', async () => {
    const { deps } = await app();
    const append = (details: Record<string, unknown>) =>
      deps.ledger
        .append({ orgId, actor: actor('u'), action: 'test:Act', subject: 's', details: details as never })
        .catch((error: unknown) => error);
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const sparse = [1, , 3];

    for (const [details, path] of [
      [{ note: '\ud800' }, 'details.note'],
      [{ list: sparse }, 'details.list[1]'],
      [{ gone: undefined }, 'details.gone'],
    ] as const) {
      const error = await append(details);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ errors: [{ path }] });
    }
    expect(await deps.ledger.head(orgId)).toBeUndefined();
  });
});
