import { describe, expect, it } from 'vitest';
import { describeArnPatternProblem, formatPortalArn, parsePortalArn } from './portal-arn.js';

describe('parsePortalArn', () => {
  it.each([
    [
      'arn:portal:o-1:111111111111:report/r-1',
      { orgId: 'o-1', accountId: '111111111111', resourceType: 'report', resourceId: 'r-1' },
    ],
    ['arn:portal:o-1::ledger', { orgId: 'o-1', accountId: '', resourceType: 'ledger', resourceId: '' }],
    ['arn:portal:o-1::user/u-9', { orgId: 'o-1', accountId: '', resourceType: 'user', resourceId: 'u-9' }],
    ['arn:portal:o-1:*:report/r-1', { orgId: 'o-1', accountId: '*', resourceType: 'report', resourceId: 'r-1' }],
  ])('reads %s', (arn, expected) => {
    expect(parsePortalArn(arn)).toEqual(expected);
    expect(formatPortalArn(expected)).toBe(arn);
  });

  it.each([
    '*',
    'arn:aws:s3:::bucket',
    'ARN:portal:o-1::ledger',
    'arn:portal:o-1:12345:report/r-1',
    'arn:portal:o-1::reports/r-1',
    'arn:portal:o-1::report/',
    'arn:portal:o-1::report/r 1',
    'arn:portal::111111111111:report/r-1',
    'arn:portal:o-1:111111111111:report/*',
    'arn:portal:o-1:111111111111:report:r-1',
  ])('refuses %s', (arn) => {
    expect(parsePortalArn(arn)).toBeUndefined();
  });
});

describe('describeArnPatternProblem', () => {
  it.each([
    '*',
    'arn:portal:*',
    'arn:portal:o-1:*',
    'arn:portal:o-1:*:report/*',
    'arn:portal:o-?:1111*:*',
    'arn:portal:o-1::*',
  ])('accepts the pattern %s', (pattern) => {
    expect(describeArnPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['arn:portal:o-1', 'missing segments'],
    ['arn:portal:o-1:111111111111:report/r-1:x', 'too many ":" separators'],
    ['arn:portal:o 1::ledger', 'invalid organization id'],
    ['arn:portal:o-1:abc:report/r-1', 'account id must be 12 digits or empty'],
    ['arn:portal:o-1::Report/r-1', 'invalid resource type "Report"'],
    ['arn:portal:o-1::widget/w-1', 'unknown resource type "widget"'],
    ['arn:portal:o-1::report/', 'invalid resource id ""'],
    ['Arn:Portal:o-1::ledger', 'ARNs are case-sensitive'],
  ])('refuses %s: %s', (pattern, problem) => {
    expect(describeArnPatternProblem(pattern)).toContain(problem);
  });
});
