import { describe, expect, it } from 'vitest';
import { parsePortalArn, portalResourceTypes } from './policy/portal-arn.js';
import { agreementArn, organizationNodeArn, principalArn, reportArn, resourceArns } from './resources.js';

describe('resource names', () => {
  it('has one builder per resource type, each building a name of its own type that parses back', () => {
    expect(Object.keys(resourceArns).sort()).toEqual([...portalResourceTypes].sort());
    for (const [type, build] of Object.entries(resourceArns)) {
      const built = (build as (orgId: string, ...rest: string[]) => string)('o-1', '111111111111', '222222222222');
      expect(parsePortalArn(built), built).toMatchObject({ orgId: 'o-1', resourceType: type });
    }
  });

  it('builds account-scoped and org-level names in one shape, and route templates from the same builders', () => {
    expect(reportArn('o-1', 'rpt-1', '111111111111')).toBe('arn:portal:o-1:111111111111:report/rpt-1');
    expect(reportArn('o-1', 'rpt-1')).toBe('arn:portal:o-1::report/rpt-1');
    expect(agreementArn('o-1', 'agr-1')).toBe('arn:portal:o-1::agreement/agr-1');
    expect(agreementArn('{orgId}', '{id}', '{accountId}')).toBe('arn:portal:{orgId}:{accountId}:agreement/{id}');
    expect(principalArn('o-1', { type: 'group', id: 'g-1' })).toBe('arn:portal:o-1::group/g-1');
    expect(organizationNodeArn('o-1', 'r-1', 'r-1')).toBe('arn:portal:o-1::organization');
    expect(organizationNodeArn('o-1', 'r-1', 'ou-prod')).toBe('arn:portal:o-1::ou/ou-prod');
    expect(organizationNodeArn('o-1', 'r-1', '111111111111')).toBe('arn:portal:o-1:111111111111:account/111111111111');
  });
});
