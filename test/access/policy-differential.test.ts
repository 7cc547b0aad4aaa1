import { evaluatePolicies, type PolicyDocument, type RequestContext } from '@evidence-portal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { type RefContext, type RefStatement, referenceDecision } from './iam-reference.js';

/**
 * Issue 15, item 16: random policies × random requests, the portal's evaluator against the reference
 * written from the IAM documentation (iam-reference.ts). The vocabulary is small on purpose, so the
 * interesting collisions (wildcards against ':' boundaries, variables the request lacks, negated
 * operators, IfExists, NotResource) happen often.
 */
const actions = ['portal:GetReport', 'portal:ListReports', 'portal:AcceptAgreement'];
const actionPatterns = [...actions, 'portal:Get*', 'portal:*', '*', 'portal:?etReport', 'portal:*Agreement'];
const segment = (choices: string[]) => fc.constantFrom(...choices);
const resourcePattern = fc.oneof(
  fc
    .tuple(
      segment(['o-1', 'o-*', '*', 'o-?']),
      segment(['111111111111', '', '*', '${portal:PrincipalAccount}', '1*', "${aws:username, '111111111111'}"]),
      segment(['report/r-1', 'report/*', '*', 'agreement/${aws:userid}', 'report/${*}', '*/r-1', 'user/u-1']),
    )
    .map(([org, account, rest]) => `arn:portal:${org}:${account}:${rest}`),
  segment(['*', 'arn:portal:o-1:*', 'arn:portal:*', 'arn:portal:*:report/*', 'arn:portal:o-1:*:report/${aws:userid}']),
);
const resources = [
  'arn:portal:o-1:111111111111:report/r-1',
  'arn:portal:o-1:222222222222:report/r-1',
  'arn:portal:o-1::agreement/u-1',
  'arn:portal:o-1:111111111111:agreement/u-1',
  'arn:portal:o-2:111111111111:report/*',
  'arn:portal:o-1::user/u-1',
  '*',
];
const conditionValues = [
  'SOC',
  'soc',
  'S*',
  '${aws:userid}',
  "${aws:username, 'SOC'}",
  '${portal:ReportCategory}',
  'arn:portal:o-1::user/*',
  'arn:portal:*:user/u-1',
  'arn:portal:o-1:*',
  'true',
  'false',
];
const operators = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnLike',
  'ArnNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'Bool',
];
const operator = fc.oneof(
  fc.constant('Null'),
  fc
    .tuple(fc.constantFrom(...operators), fc.boolean())
    .map(([name, ifExists]) => (ifExists ? `${name}IfExists` : name)),
);
const keys = ['portal:ReportCategory', 'aws:PrincipalArn', 'aws:MultiFactorAuthPresent', 'aws:userid'];
const condition = fc.dictionary(
  operator,
  fc.dictionary(
    fc.constantFrom(...keys),
    fc.array(fc.constantFrom(...conditionValues), { minLength: 1, maxLength: 3 }),
    {
      minKeys: 1,
      maxKeys: 2,
    },
  ),
  { minKeys: 1, maxKeys: 2 },
);
const statement: fc.Arbitrary<RefStatement> = fc
  .record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    actions: fc.array(fc.constantFrom(...actionPatterns), { minLength: 1, maxLength: 3 }),
    notAction: fc.boolean(),
    resources: fc.array(resourcePattern, { minLength: 1, maxLength: 3 }),
    notResource: fc.boolean(),
    Condition: fc.option(condition, { nil: undefined }),
  })
  .map((s) => ({
    Effect: s.Effect,
    ...(s.notAction ? { NotAction: s.actions } : { Action: s.actions }),
    ...(s.notResource ? { NotResource: s.resources } : { Resource: s.resources }),
    ...(s.Condition ? { Condition: s.Condition } : {}),
  }));
const context: fc.Arbitrary<RefContext> = fc.record(
  {
    'portal:ReportCategory': fc.constantFrom('SOC', 'soc', 'ISO', 'u-1'),
    'aws:userid': fc.constantFrom('u-1', 'u-2'),
    'aws:username': fc.constantFrom('ana@example.com', '111111111111'),
    'aws:PrincipalArn': fc.constantFrom('arn:portal:o-1::user/u-1', 'arn:portal:o-1::role/role-x'),
    'portal:PrincipalAccount': fc.constantFrom('111111111111', '222222222222'),
    'aws:MultiFactorAuthPresent': fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('the evaluator agrees with an IAM reference evaluator (differential, random policies × requests)', () => {
  it('gives the same decision for every generated policy and request', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...actions),
        fc.constantFrom(...resources),
        context,
        (statements, action, resource, ctx) => {
          const document = { Version: '2012-10-17', Statement: statements } as PolicyDocument;
          const ours = evaluatePolicies({
            action,
            resource,
            context: ctx as RequestContext,
            identityPolicies: [{ name: 'p', document }],
            guardrails: [],
            guardrailsApply: false,
          }).decision;
          expect(ours).toBe(referenceDecision(statements, action, resource, ctx));
        },
      ),
      { numRuns: byTier(300, 20_000) },
    );
  });

  it.each([
    // A `*` inside an ARN must not span the ':' between organization and account.
    ['wildcards stop at ":"', 'arn:portal:*:report/*', 'arn:portal:o-1:111111111111:report/r-1', {}, 'ImplicitDeny'],
    // One unresolvable variable must not void the whole list (the Deny still applies through the other pattern).
    [
      'a missing variable voids only its own pattern',
      ['arn:portal:o-1::report/${aws:userid}', 'arn:portal:o-1:*'],
      'arn:portal:o-1:1:report/r',
      {},
      'ExplicitDeny',
    ],
    [
      'a default fills a missing variable',
      "arn:portal:o-1:${portal:PrincipalAccount, '111111111111'}:*",
      'arn:portal:o-1:111111111111:report/r',
      {},
      'ExplicitDeny',
    ],
  ] as const)('%s', (_, pattern, resource, ctx, expected) => {
    const decision = evaluatePolicies({
      action: 'portal:GetReport',
      resource,
      context: ctx,
      identityPolicies: [
        {
          name: 'p',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'portal:GetReport', Resource: pattern as string | string[] }],
          },
        },
      ],
      guardrails: [],
      guardrailsApply: false,
    });
    expect(decision.decision).toBe(expected);
  });

  it('does not count a negated operator whose value variable is absent as a match', () => {
    const decision = evaluatePolicies({
      action: 'portal:GetReport',
      resource: 'arn:portal:o-1:1:report/r',
      context: { 'portal:ReportCategory': 'SOC' },
      identityPolicies: [
        {
          name: 'p',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 'portal:GetReport',
                Resource: '*',
                Condition: { StringNotEquals: { 'portal:ReportCategory': '${aws:userid}' } },
              },
            ],
          },
        },
      ],
      guardrails: [],
      guardrailsApply: false,
    });
    expect(decision.decision).toBe('ImplicitDeny');
  });
});
