import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTier } from '../../../../../test/support/context.js';
import type { RequestContext } from '../principal.js';
import { evaluatePolicies, type PolicyEvaluationInput } from './evaluate-policies.js';
import { managedPolicies } from './managed-policies.js';
import type { ConditionBlock, NamedPolicy, PolicyStatement } from './policy-document.js';
import { portalActions } from './portal-actions.js';
import { validatePolicyDocument } from './validate-policy-document.js';

const runs = () => ({ numRuns: byTier(200, 1000) });

// A small world, so that generated statements often hit the request and properties are not vacuous.
const accounts = ['111111111111', '222222222222'];
const concreteResources = [
  'arn:portal:o-1:111111111111:report/r-1',
  'arn:portal:o-1:222222222222:report/r-2',
  'arn:portal:o-1:111111111111:agreement/baa',
  'arn:portal:o-1::ledger',
  'arn:portal:o-1::user/u-9',
];
const someActions = [
  'portal:GetReport',
  'portal:ListReports',
  'portal:AcceptAgreement',
  'portal:ReadLedger',
  'portal:ManageAccess',
];

const actionArb = fc.constantFrom(...someActions, ...portalActions);
const resourceArb = fc.constantFrom(...concreteResources);

const actionPatternArb = fc.oneof(
  fc.constantFrom(
    '*',
    'portal:*',
    'portal:Get*',
    'portal:*Report*',
    'portal:?etReport',
    'PORTAL:getreport',
    'portal:List*',
  ),
  fc.constantFrom(...someActions),
);
const resourcePatternArb = fc.oneof(
  fc.constantFrom(
    '*',
    'arn:portal:o-1:*',
    'arn:portal:o-1:111111111111:*',
    'arn:portal:*:*:report/*',
    'arn:portal:o-1::*',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
    'arn:portal:o-1:${portal:PrincipalAccount}:*',
    'arn:portal:o-2:*',
  ),
  resourceArb,
);
const conditionArb: fc.Arbitrary<ConditionBlock> = fc.constantFrom<ConditionBlock>(
  { Bool: { 'aws:MultiFactorAuthPresent': true } },
  { StringEquals: { 'portal:ReportCategory': ['SOC', 'ISO'] } },
  { StringNotEquals: { 'portal:ReportCategory': 'PCI' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } },
  { StringLikeIfExists: { 'aws:PrincipalTag/team': 'audit*' } },
  { 'ForAllValues:StringEquals': { 'portal:RequestedAccounts': accounts } },
  { 'ForAnyValue:StringEquals': { 'portal:RequestedAccounts': '222222222222' } },
  { Null: { 'portal:ReportCategory': false } },
  { NumericLessThan: { 'aws:EpochTime': 1_780_000_000 } },
);
const contextArb: fc.Arbitrary<RequestContext> = fc.record(
  {
    'aws:MultiFactorAuthPresent': fc.boolean(),
    'portal:ReportCategory': fc.constantFrom('SOC', 'ISO', 'PCI'),
    'aws:CurrentTime': fc.constantFrom('2026-01-01T00:00:00Z', '2026-12-01T00:00:00Z'),
    'aws:EpochTime': fc.constantFrom(1_767_225_600, 1_796_083_200),
    'aws:PrincipalTag/team': fc.constantFrom('auditors', 'engineering'),
    'portal:RequestedAccounts': fc.subarray([...accounts, '333333333333']),
    'portal:PrincipalAccount': fc.constantFrom(...accounts),
  },
  { requiredKeys: [] },
);

const listArb = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

function statementArb(effect?: 'Allow' | 'Deny'): fc.Arbitrary<PolicyStatement> {
  return fc
    .record({
      Effect: effect === undefined ? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny') : fc.constant(effect),
      notAction: fc.boolean(),
      actions: listArb(actionPatternArb),
      notResource: fc.boolean(),
      resources: listArb(resourcePatternArb),
      condition: fc.option(conditionArb, { nil: undefined }),
    })
    .map(({ Effect, notAction, actions, notResource, resources, condition }) => ({
      Effect,
      ...(notAction ? { NotAction: actions } : { Action: actions }),
      ...(notResource ? { NotResource: resources } : { Resource: resources }),
      ...(condition === undefined ? {} : { Condition: condition }),
    }));
}

const policyArb = (name: string) =>
  fc.array(statementArb(), { minLength: 1, maxLength: 4 }).map(
    (statements): NamedPolicy => ({
      name,
      document: { Version: '2012-10-17', Statement: statements.map((s, i) => ({ Sid: `S${i}`, ...s })) },
    }),
  );

const scenarioArb: fc.Arbitrary<PolicyEvaluationInput> = fc.record({
  action: actionArb,
  resource: resourceArb,
  context: contextArb,
  identityPolicies: fc.array(policyArb('Identity'), { maxLength: 3 }),
  guardrails: fc.array(fc.array(policyArb('Guardrail'), { maxLength: 2 }), { maxLength: 3 }),
  guardrailsApply: fc.boolean(),
});

/** Where a statement is added: into an identity policy or a guardrail level, new policy or existing. */
const placementArb = fc.record({ guardrail: fc.boolean(), level: fc.nat(), policy: fc.nat(), fresh: fc.boolean() });
type Placement = typeof placementArb extends fc.Arbitrary<infer T> ? T : never;

function withStatement(
  input: PolicyEvaluationInput,
  statement: PolicyStatement,
  where: Placement,
): PolicyEvaluationInput {
  const copy = structuredClone(input);
  const add = (policies: NamedPolicy[]) => {
    const target = where.fresh || policies.length === 0 ? undefined : policies[where.policy % policies.length];
    if (target) target.document.Statement.push(statement);
    else policies.push({ name: 'Added', document: { Version: '2012-10-17', Statement: [statement] } });
  };
  const level = copy.guardrails.length === 0 ? undefined : copy.guardrails[where.level % copy.guardrails.length];
  if (where.guardrail && level) add(level);
  else add(copy.identityPolicies);
  return copy;
}

describe('evaluatePolicies properties', () => {
  it('generates only documents that validation accepts (the properties speak about real policies)', () => {
    fc.assert(
      fc.property(policyArb('Any'), (policy) => {
        expect(validatePolicyDocument(policy.document)).toEqual({ ok: true, document: policy.document });
      }),
      runs(),
    );
  });

  it('generates scenarios that reach every decision, so the properties below are not vacuous', () => {
    const decisions = fc
      .sample(scenarioArb, { numRuns: 300, seed: 5 })
      .map((input) => evaluatePolicies(input).decision);
    const count = (decision: string) => decisions.filter((d) => d === decision).length;

    expect(count('Allow')).toBeGreaterThan(15);
    expect(count('ExplicitDeny')).toBeGreaterThan(15);
    expect(count('ImplicitDeny')).toBeGreaterThan(15);
  });

  it('an explicit Deny that matches the request always wins', () => {
    const matchingDeny = fc.record({
      action: fc.constantFrom('exact', '*', 'portal:*', 'upper'),
      resource: fc.constantFrom('exact', '*'),
    });
    fc.assert(
      fc.property(scenarioArb, matchingDeny, placementArb, (input, deny, where) => {
        const Action =
          deny.action === 'exact' ? input.action : deny.action === 'upper' ? input.action.toUpperCase() : deny.action;
        const statement: PolicyStatement = {
          Sid: 'AddedDeny',
          Effect: 'Deny',
          Action,
          Resource: deny.resource === 'exact' ? input.resource : '*',
        };
        // A guardrail Deny binds only where guardrails apply.
        const placement = input.guardrailsApply ? where : { ...where, guardrail: false };

        const decision = evaluatePolicies(withStatement(input, statement, placement));

        expect(decision.decision).toBe('ExplicitDeny');
        expect(decision.matchedStatements).toContainEqual(
          expect.objectContaining({ sid: 'AddedDeny', effect: 'Deny' }),
        );
      }),
      runs(),
    );
  });

  it('adding an Allow statement never removes access and never lifts an explicit deny', () => {
    fc.assert(
      fc.property(scenarioArb, statementArb('Allow'), placementArb, (input, allow, where) => {
        const before = evaluatePolicies(input).decision;

        const after = evaluatePolicies(withStatement(input, allow, where)).decision;

        if (before === 'Allow') expect(after).toBe('Allow');
        if (before === 'ExplicitDeny') expect(after).toBe('ExplicitDeny');
      }),
      runs(),
    );
  });

  it('adding a Deny statement never grants access', () => {
    fc.assert(
      fc.property(scenarioArb, statementArb('Deny'), placementArb, (input, deny, where) => {
        const before = evaluatePolicies(input).decision;

        const after = evaluatePolicies(withStatement(input, deny, where)).decision;

        if (before !== 'Allow') expect(after).not.toBe('Allow');
        if (before === 'ExplicitDeny') expect(after).toBe('ExplicitDeny');
      }),
      runs(),
    );
  });

  it('is deterministic and reports only statements of the decided effect', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const decision = evaluatePolicies(input);

        expect(evaluatePolicies(structuredClone(input))).toEqual(decision);
        const effects = new Set(decision.matchedStatements.map((match) => match.effect));
        if (decision.decision === 'ExplicitDeny') expect([...effects]).toEqual(['Deny']);
        else expect(effects.has('Deny')).toBe(false);
        if (!input.guardrailsApply) {
          expect(decision.matchedStatements.every((match) => match.source === 'identity')).toBe(true);
        }
      }),
      runs(),
    );
  });
});

/** A generated org tree: OUs whose parent is the root (-1) or an earlier OU; accounts placed in an OU or the root. */
const treeArb = fc.integer({ min: 1, max: 8 }).chain((ouCount) =>
  fc.record({
    ouParents: fc.tuple(...Array.from({ length: ouCount }, (_, i) => fc.integer({ min: -1, max: i - 1 }))),
    accountParents: fc.array(fc.integer({ min: -1, max: ouCount - 1 }), { minLength: 1, maxLength: 10 }),
    guarded: fc.integer({ min: 0, max: ouCount - 1 }),
    form: fc.constantFrom('deny', 'allowlist'),
  }),
);

describe('guardrails over an organization tree', () => {
  const admin: NamedPolicy = { name: 'OrganizationAdmin', document: managedPolicies.OrganizationAdmin };
  const fullAccess: NamedPolicy = { name: 'FullAccessGuardrail', document: managedPolicies.FullAccessGuardrail };
  const noAgreements: NamedPolicy = {
    name: 'NoAgreements',
    document: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyBaa', Effect: 'Deny', Action: 'portal:AcceptAgreement', Resource: '*' }],
    },
  };
  // Replaces FullAccess on the guarded OU: only reports get through beneath it.
  const reportsOnly: NamedPolicy = {
    name: 'ReportsOnly',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Reports', Effect: 'Allow', Action: ['portal:*Report*', 'portal:ListReports'], Resource: '*' },
      ],
    },
  };

  it('a guardrail on an OU applies to every account beneath it and to no other', () => {
    fc.assert(
      fc.property(treeArb, fc.boolean(), ({ ouParents, accountParents, guarded, form }, management) => {
        const attachedTo = (ou: number): NamedPolicy[] =>
          ou !== guarded ? [fullAccess] : form === 'deny' ? [fullAccess, noAgreements] : [reportsOnly];
        const chain = (parent: number): number[] => {
          const path: number[] = [];
          for (let ou = parent; ou >= 0; ou = ouParents[ou] ?? -1) path.unshift(ou);
          return path;
        };

        accountParents.forEach((parent, accountIndex) => {
          const ouPath = chain(parent);
          const beneath = ouPath.includes(guarded);
          const base = {
            resource: `arn:portal:o-1:${String(accountIndex).padStart(12, '0')}:agreement/baa`,
            context: {},
            identityPolicies: [admin],
            // root, each OU on the path, then the account itself
            guardrails: [[fullAccess], ...ouPath.map(attachedTo), [fullAccess]],
            guardrailsApply: !management,
          };

          const accept = evaluatePolicies({ ...base, action: 'portal:AcceptAgreement' });
          const read = evaluatePolicies({ ...base, action: 'portal:GetReport' });

          const expected = !beneath || management ? 'Allow' : form === 'deny' ? 'ExplicitDeny' : 'ImplicitDeny';
          expect(accept.decision).toBe(expected);
          expect(read.decision).toBe('Allow');
        });
      }),
      runs(),
    );
  });
});
