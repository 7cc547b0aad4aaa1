import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTier } from '../../../../../test/support/context.js';
import type { FieldError } from '../../errors.js';
import { evaluatePolicies } from './evaluate-policies.js';
import { policyLimits, validatePolicyDocument } from './validate-policy-document.js';

/** Builds IAM policy variables without writing `${` in a plain string (which reads like a JS template mistake). */
const variable = (key: string) => ['$', '{', key, '}'].join('');
const statement = (overrides: Record<string, unknown>) => ({
  Effect: 'Allow',
  Action: 'portal:GetReport',
  Resource: '*',
  ...overrides,
});
const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const errorsOf = (input: unknown): FieldError[] => {
  const result = validatePolicyDocument(input);
  return result.ok ? [] : result.errors;
};

describe('validatePolicyDocument', () => {
  it('accepts a full document and returns a clean copy of it', () => {
    const input = {
      Version: '2012-10-17',
      Id: 'reports-for-auditors',
      Statement: [
        statement({
          Sid: 'ReadSocWithMfa',
          Action: ['portal:GetReport', 'portal:List*'],
          Resource: ['arn:portal:o-1:*:report/*', `arn:portal:o-1:${variable('portal:PrincipalAccount')}:*`],
          Condition: {
            StringEquals: { 'portal:ReportCategory': ['SOC', 'ISO'] },
            BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
            DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
            'ForAllValues:StringLike': { 'portal:RequestedAccounts': '1111*' },
            StringEqualsIgnoreCase: { 'aws:PrincipalTag/Team': 'Audit' },
            ArnLike: { 'aws:PrincipalArn': 'arn:portal:o-1::role/*' },
            NumericGreaterThanEquals: { 'aws:EpochTime': 1_700_000_000 },
            Null: { 'portal:ReportSeries': false },
          },
        }),
        { Effect: 'Deny', NotAction: 'portal:*Report*', NotResource: 'arn:portal:o-1::ledger' },
      ],
    };

    const result = validatePolicyDocument(input);

    expect(result).toEqual({ ok: true, document: input });
    expect(result.ok && result.document.Statement).not.toBe(input.Statement);
  });

  it('accepts the JSON text of a document', () => {
    expect(validatePolicyDocument(JSON.stringify(doc(statement({})))).ok).toBe(true);
  });

  // One row per kind of problem: the input, then the exact errors it must produce.
  it.each<[string, unknown, FieldError[]]>([
    ['not an object', [], [{ path: '', message: expect.stringContaining('must be a policy document') }]],
    ['invalid JSON text', '{"Version":', [{ path: '', message: 'is not valid JSON' }]],
    ['missing Version', { Statement: [statement({})] }, [{ path: 'Version', message: 'is required: "2012-10-17"' }]],
    [
      'wrong Version',
      { ...doc(statement({})), Version: '2008-10-17' },
      [{ path: 'Version', message: 'must be "2012-10-17"' }],
    ],
    [
      'unknown top-level key',
      { ...doc(statement({})), Statment: [] },
      [{ path: 'Statment', message: 'unknown key "Statment"; did you mean Statement?' }],
    ],
    [
      'missing Statement',
      { Version: '2012-10-17' },
      [{ path: 'Statement', message: 'is required: a list of statements' }],
    ],
    [
      'Statement as a single object',
      { Version: '2012-10-17', Statement: statement({}) },
      [{ path: 'Statement', message: 'must be a list: wrap the statement in [ ]' }],
    ],
    ['empty Statement', doc(), [{ path: 'Statement', message: 'must contain at least one statement' }]],
    [
      'statement not an object',
      doc('Allow'),
      [{ path: 'Statement[0]', message: expect.stringContaining('must be an object') }],
    ],
    [
      'unknown statement key',
      doc(statement({ Efect: 'Allow' })),
      [{ path: 'Statement[0].Efect', message: 'unknown key "Efect"; did you mean Effect?' }],
    ],
    [
      'Principal in an identity policy',
      doc(statement({ Principal: '*' })),
      [{ path: 'Statement[0].Principal', message: expect.stringContaining('does not belong here') }],
    ],
    [
      'missing Effect',
      doc({ Action: '*', Resource: '*' }),
      [{ path: 'Statement[0].Effect', message: 'is required: "Allow" or "Deny"' }],
    ],
    [
      'bad Effect',
      doc(statement({ Effect: 'allow' })),
      [{ path: 'Statement[0].Effect', message: 'must be "Allow" or "Deny"; did you mean Allow?' }],
    ],
    [
      'Effect not a string',
      doc(statement({ Effect: true })),
      [{ path: 'Statement[0].Effect', message: 'must be "Allow" or "Deny"' }],
    ],
    [
      'bad Sid',
      doc(statement({ Sid: 'has space' })),
      [{ path: 'Statement[0].Sid', message: 'must be letters and digits only (at most 128)' }],
    ],
    [
      'duplicate Sid',
      doc(statement({ Sid: 'A' }), statement({ Sid: 'A' })),
      [{ path: 'Statement[1].Sid', message: 'duplicate Sid "A" (also Statement[0])' }],
    ],
    [
      'unknown action in a list, with a suggestion',
      doc(statement({ Action: ['portal:ListReports', 'portal:GetReprot'] })),
      [
        {
          path: 'Statement[0].Action[1]',
          message: 'unknown action "portal:GetReprot"; did you mean portal:GetReport?',
        },
      ],
    ],
    [
      'unknown action with no close name',
      doc(statement({ Action: 'portal:LaunchRockets' })),
      [{ path: 'Statement[0].Action', message: 'unknown action "portal:LaunchRockets"' }],
    ],
    [
      'action without a service',
      doc(statement({ Action: 'GetReport' })),
      [
        {
          path: 'Statement[0].Action',
          message:
            '"GetReport" is not an action: write service:Action, e.g. portal:GetReport; did you mean portal:GetReport?',
        },
      ],
    ],
    [
      'foreign service',
      doc(statement({ Action: 's3:GetObject' })),
      [
        {
          path: 'Statement[0].Action',
          message: 'unknown service "s3" in "s3:GetObject": portal actions are named portal:<Action>',
        },
      ],
    ],
    [
      'wildcard that matches nothing',
      doc(statement({ Action: 'portal:Launch*' })),
      [{ path: 'Statement[0].Action', message: '"portal:Launch*" matches no portal action' }],
    ],
    [
      'bad characters in an action',
      doc(statement({ Action: 'portal:Get-Report' })),
      [
        {
          path: 'Statement[0].Action',
          message: '"portal:Get-Report" is not a valid action name; did you mean portal:GetReport?',
        },
      ],
    ],
    [
      'empty action list',
      doc(statement({ Action: [] })),
      [{ path: 'Statement[0].Action', message: 'must not be empty' }],
    ],
    [
      'action not a string',
      doc(statement({ Action: [42] })),
      [{ path: 'Statement[0].Action[0]', message: 'must be a string' }],
    ],
    [
      'Action and NotAction',
      doc(statement({ NotAction: '*' })),
      [{ path: 'Statement[0]', message: 'use either Action or NotAction, not both' }],
    ],
    [
      'neither Action nor NotAction',
      doc({ Effect: 'Allow', Resource: '*' }),
      [{ path: 'Statement[0].Action', message: 'is required (or NotAction)' }],
    ],
    [
      'neither Resource nor NotResource',
      doc({ Effect: 'Allow', Action: '*' }),
      [{ path: 'Statement[0].Resource', message: 'is required (or NotResource)' }],
    ],
    [
      'malformed ARN',
      doc(statement({ Resource: 'report/r-1' })),
      [
        {
          path: 'Statement[0].Resource',
          message: expect.stringMatching(/^malformed resource "report\/r-1": expected "\*" or arn:portal:/),
        },
      ],
    ],
    [
      'foreign ARN service',
      doc(statement({ Resource: 'arn:aws:s3:::bucket' })),
      [{ path: 'Statement[0].Resource', message: expect.stringContaining('the service must be "portal", not "aws"') }],
    ],
    [
      'account id of the wrong length',
      doc(statement({ Resource: ['*', 'arn:portal:o-1:12345:report/r-1'] })),
      [
        {
          path: 'Statement[0].Resource[1]',
          message: expect.stringContaining('account id must be 12 digits or empty, not "12345"'),
        },
      ],
    ],
    [
      'unknown resource type with a suggestion',
      doc(statement({ Resource: 'arn:portal:o-1::reports/r-1' })),
      [
        {
          path: 'Statement[0].Resource',
          message: expect.stringContaining('unknown resource type "reports"; did you mean report?'),
        },
      ],
    ],
    [
      'too many segments',
      doc(statement({ Resource: 'arn:portal:o-1:111111111111:report:r-1' })),
      [{ path: 'Statement[0].Resource', message: expect.stringContaining('too many ":" separators') }],
    ],
    [
      'unknown policy variable',
      doc(statement({ Resource: `arn:portal:o-1:${variable('portal:Acount')}:*` })),
      [{ path: 'Statement[0].Resource', message: `unknown policy variable ${variable('portal:Acount')}` }],
    ],
    [
      'Condition not an object',
      doc(statement({ Condition: 'mfa' })),
      [
        {
          path: 'Statement[0].Condition',
          message: expect.stringContaining('must be an object of condition operators'),
        },
      ],
    ],
    [
      'unknown condition operator, with a suggestion',
      doc(statement({ Condition: { StringEqual: { 'portal:ReportCategory': 'SOC' } } })),
      [
        {
          path: 'Statement[0].Condition.StringEqual',
          message: 'unknown condition operator "StringEqual"; did you mean StringEquals?',
        },
      ],
    ],
    [
      'qualified operator typo keeps the qualifier in the suggestion',
      doc(statement({ Condition: { 'ForAnyValue:StringLke': { 'portal:RequestedAccounts': '1*' } } })),
      [
        {
          path: 'Statement[0].Condition.ForAnyValue:StringLke',
          message: 'unknown condition operator "ForAnyValue:StringLke"; did you mean ForAnyValue:StringLike?',
        },
      ],
    ],
    [
      'NullIfExists is not an operator',
      doc(statement({ Condition: { NullIfExists: { 'portal:ReportCategory': true } } })),
      [
        {
          path: 'Statement[0].Condition.NullIfExists',
          message: expect.stringContaining('unknown condition operator "NullIfExists"'),
        },
      ],
    ],
    [
      'operator with no keys',
      doc(statement({ Condition: { StringEquals: {} } })),
      [
        {
          path: 'Statement[0].Condition.StringEquals',
          message: 'must be a non-empty object of condition keys to values',
        },
      ],
    ],
    [
      'unknown condition key, with a suggestion',
      doc(statement({ Condition: { StringEquals: { 'portal:ReportCategry': 'SOC' } } })),
      [
        {
          path: 'Statement[0].Condition.StringEquals.portal:ReportCategry',
          message: 'unknown condition key "portal:ReportCategry"; did you mean portal:ReportCategory?',
        },
      ],
    ],
    [
      'operator of the wrong type for the key',
      doc(statement({ Condition: { DateLessThan: { 'portal:ReportCategory': '2026-01-01' } } })),
      [
        {
          path: 'Statement[0].Condition.DateLessThan.portal:ReportCategory',
          message: 'DateLessThan cannot compare portal:ReportCategory, a String key',
        },
      ],
    ],
    [
      'not a date',
      doc(statement({ Condition: { DateGreaterThan: { 'aws:CurrentTime': ['2026-01-01T00:00:00Z', 'tomorrow'] } } })),
      [
        {
          path: 'Statement[0].Condition.DateGreaterThan.aws:CurrentTime[1]',
          message: '"tomorrow" is not a date: use ISO 8601 or epoch seconds',
        },
      ],
    ],
    [
      'not a number',
      doc(statement({ Condition: { NumericLessThan: { 'aws:EpochTime': 'soon' } } })),
      [{ path: 'Statement[0].Condition.NumericLessThan.aws:EpochTime', message: '"soon" is not a number' }],
    ],
    [
      'not a boolean',
      doc(statement({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'yes' } } })),
      [{ path: 'Statement[0].Condition.Bool.aws:MultiFactorAuthPresent', message: '"yes" is not true or false' }],
    ],
    [
      'empty value list',
      doc(statement({ Condition: { StringEquals: { 'portal:ReportCategory': [] } } })),
      [{ path: 'Statement[0].Condition.StringEquals.portal:ReportCategory', message: 'must not be an empty list' }],
    ],
    [
      'nested object as a value',
      doc(statement({ Condition: { StringEquals: { 'portal:ReportCategory': { a: 1 } } } })),
      [
        {
          path: 'Statement[0].Condition.StringEquals.portal:ReportCategory',
          message: 'must be a string, number or boolean',
        },
      ],
    ],
    [
      'ArnLike with something not an ARN',
      doc(statement({ Condition: { ArnLike: { 'aws:PrincipalArn': 'role/admin' } } })),
      [
        {
          path: 'Statement[0].Condition.ArnLike.aws:PrincipalArn',
          message: expect.stringContaining('malformed resource "role/admin"'),
        },
      ],
    ],
  ])('reports %s', (_, input, expected) => {
    expect(errorsOf(input)).toEqual(expected);
  });

  it('reports every problem of a document, each once, with its own path', () => {
    const errors = errorsOf({
      Version: '1',
      Extra: true,
      Statement: [
        statement({ Effect: 'Permit', Action: ['portal:GetReprot', 'portal:AcceptAgreemnt'] }),
        statement({ Resource: 'arn:portal:o-1::nothing/x', Condition: { Bool: { 'aws:Mfa': true } } }),
      ],
    });

    expect(errors.map((error) => error.path)).toEqual([
      'Extra',
      'Version',
      'Statement[0].Effect',
      'Statement[0].Action[0]',
      'Statement[0].Action[1]',
      'Statement[1].Resource',
      'Statement[1].Condition.Bool.aws:Mfa',
    ]);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'reports Object.prototype member %s as an unknown condition key and variable, never throwing',
    (name) => {
      // A JSON document can carry `__proto__` as an own key (fast-check found the crash).
      const condition = JSON.parse(`{"StringEquals": {"${name}": "x"}}`) as Record<string, unknown>;
      const result = validatePolicyDocument({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'portal:GetReport', Resource: `arn:portal:\${${name}}:*`, Condition: condition },
        ],
      });
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.errors).toEqual([
        { path: 'Statement[0].Resource', message: `unknown policy variable \${${name}}` },
        { path: `Statement[0].Condition.StringEquals.${name}`, message: `unknown condition key "${name}"` },
      ]);
    },
  );

  it('bounds what a hostile document can make it do', () => {
    const many = doc(...Array.from({ length: policyLimits.statements + 1 }, () => statement({})));
    const long = doc(statement({ Action: `portal:${'A'.repeat(policyLimits.textLength)}` }));
    const huge = 'x'.repeat(policyLimits.documentChars + 1);

    expect(errorsOf(many)).toEqual([{ path: 'Statement', message: `at most ${policyLimits.statements} statements` }]);
    expect(errorsOf(long)).toEqual([
      { path: 'Statement[0].Action', message: `at most ${policyLimits.textLength} characters` },
    ]);
    expect(errorsOf(huge)).toEqual([{ path: '', message: `at most ${policyLimits.documentChars} characters` }]);
    expect(errorsOf(JSON.parse('{"Version":"2012-10-17","Statement":[],"__proto__":{"x":1}}'))).toEqual([
      { path: '__proto__', message: 'unknown key "__proto__"' },
      { path: 'Statement', message: 'must contain at least one statement' },
    ]);
  });

  it('never throws on hostile input, and what it accepts re-validates unchanged and evaluates', () => {
    const key = fc.constantFrom(
      'Version',
      'Statement',
      'Sid',
      'Effect',
      'Action',
      'NotAction',
      'Resource',
      'NotResource',
      'Condition',
      '__proto__',
      'constructor',
      'StringEquals',
      'portal:ReportCategory',
      'Null',
    );
    const leaf = fc.oneof(
      fc.constantFrom(
        '2012-10-17',
        'Allow',
        'Deny',
        '*',
        'portal:GetReport',
        'portal:Get*',
        'arn:portal:o-1::ledger',
        'true',
        '',
      ),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const shaped = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    const input = fc.oneof(
      shaped,
      fc.jsonValue(),
      fc.anything(),
      fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(shaped, { maxLength: 3 }) }),
    );

    fc.assert(
      fc.property(input, (candidate) => {
        const result = validatePolicyDocument(candidate);

        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors)
            expect(typeof error.path === 'string' && error.message.length > 0).toBe(true);
          return;
        }
        expect(validatePolicyDocument(result.document)).toEqual(result);
        const decision = evaluatePolicies({
          action: 'portal:GetReport',
          resource: 'arn:portal:o-1:111111111111:report/r-1',
          context: {},
          identityPolicies: [{ name: 'Fuzzed', document: result.document }],
          guardrails: [],
          guardrailsApply: true,
        });
        expect(['Allow', 'ExplicitDeny', 'ImplicitDeny']).toContain(decision.decision);
      }),
      { numRuns: byTier(300, 3000) },
    );
  });
});
