import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suggestableConditionKeys } from './condition-keys.js';
import { conditionOperators } from './condition-operators.js';
import { managedPolicyNames } from './managed-policies.js';
import { portalActions } from './portal-actions.js';
import { portalResourceTypes } from './portal-arn.js';

// The language reference must name everything the code accepts, so it cannot fall behind the catalog.
const reference = readFileSync(new URL('../../../../../docs/access-policies.md', import.meta.url), 'utf8');

describe('docs/access-policies.md', () => {
  it.each([
    ['action', portalActions],
    ['condition key', suggestableConditionKeys],
    ['condition operator', Object.keys(conditionOperators)],
    ['managed policy', managedPolicyNames],
    ['resource type', portalResourceTypes],
  ])('names every %s', (_, names) => {
    expect(names.filter((name) => !reference.includes(`\`${name}\``))).toEqual([]);
  });

  it('states the rule for management-account principals and guardrails', () => {
    expect(reference).toMatch(/guardrails do not restrict principals of the organization's management account/);
  });
});
