import { describe, expect, it } from 'vitest';
import { responseContract } from './response-contract.js';

const document = {
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          200: {
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Base' },
                    {
                      type: 'object',
                      properties: {
                        tags: { type: 'object', additionalProperties: { type: 'string' } },
                        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
                        free: {},
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
    '/api/things/special': { get: { responses: { 200: { content: { 'application/json': { schema: {} } } } } } },
  },
  components: { schemas: { Base: { type: 'object', properties: { id: { type: 'string' } } } } },
};

describe('response contract', () => {
  const contract = responseContract(document);
  const check = (path: string, body: unknown) => contract.undeclaredKeys('GET', path, 200, 'application/json', body);

  it('accepts what the schema declares, maps and free-form values included', () => {
    expect(check('/api/things/t-1', { id: 't', tags: { any: 'x' }, items: [{ name: 'a' }], free: { x: 1 } })).toEqual(
      [],
    );
  });

  it('names every undeclared key, nested in arrays too, and prefers the most specific path', () => {
    expect(check('/api/things/t-1', { id: 't', fileKey: 'k', items: [{ name: 'a', orgId: 'o' }] })).toEqual([
      '$.fileKey',
      '$.items[0].orgId',
    ]);
    expect(check('/api/things/special', { anything: true })).toEqual([]);
  });
});
