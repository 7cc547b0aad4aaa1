import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiTypes, generatedTypesPath } from '../../web/scripts/api-types.js';

describe('the console’s generated API client', () => {
  it('matches the API’s current OpenAPI document (run `npm run generate:api` after changing a route)', async () => {
    const fresh = await generateApiTypes();
    const committed = readFileSync(generatedTypesPath, 'utf8');
    expect(committed === fresh, 'web/src/api/openapi.gen.ts is stale: run `npm run generate:api`').toBe(true);
  });
});
