import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../principal.js';
import { evaluatePolicies, type PolicyEvaluationInput } from './evaluate-policies.js';
import { managedPolicies } from './managed-policies.js';
import type { NamedPolicy, PolicyStatement } from './policy-document.js';

const report = 'arn:portal:o-1:111111111111:report/r-1';
const agreement = 'arn:portal:o-1:111111111111:agreement/baa';
const fullAccess: NamedPolicy = { name: 'FullAccessGuardrail', document: managedPolicies.FullAccessGuardrail };

const policy = (name: string, ...Statement: PolicyStatement[]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement },
});

function evaluate(overrides: Partial<PolicyEvaluationInput>) {
  return evaluatePolicies({
    action: 'portal:GetReport',
    resource: report,
    context: {},
    identityPolicies: [],
    guardrails: [],
    guardrailsApply: true,
    ...overrides,
  });
}

describe('evaluatePolicies', () => {
  it('denies implicitly when nothing allows, and says so', () => {
    const decision = evaluate({});

    expect(decision).toEqual({
      decision: 'ImplicitDeny',
      reason: `no identity policy allows portal:GetReport on ${report}`,
      matchedStatements: [],
    });
  });

  it('allows through an identity policy within every guardrail, listing what matched', () => {
    const decision = evaluate({
      identityPolicies: [{ name: 'ReportsReadOnly', document: managedPolicies.ReportsReadOnly }],
      guardrails: [[fullAccess], [fullAccess]],
    });

    expect(decision.decision).toBe('Allow');
    expect(decision.reason).toContain('ReadReports of policy ReportsReadOnly');
    expect(decision.matchedStatements).toEqual([
      { policy: 'ReportsReadOnly', sid: 'ReadReports', effect: 'Allow', source: 'identity' },
      { policy: 'FullAccessGuardrail', sid: 'FullAccess', effect: 'Allow', source: 'guardrail' },
      { policy: 'FullAccessGuardrail', sid: 'FullAccess', effect: 'Allow', source: 'guardrail' },
    ]);
  });

  it('names the guardrail statement that denied', () => {
    const noAgreements = policy('NoAgreements', {
      Sid: 'DenyBaa',
      Effect: 'Deny',
      Action: 'portal:AcceptAgreement',
      Resource: '*',
    });

    const decision = evaluate({
      action: 'portal:AcceptAgreement',
      resource: agreement,
      identityPolicies: [{ name: 'OrganizationAdmin', document: managedPolicies.OrganizationAdmin }],
      guardrails: [[fullAccess], [fullAccess, noAgreements]],
    });

    expect(decision.decision).toBe('ExplicitDeny');
    expect(decision.reason).toBe(
      `portal:AcceptAgreement on ${agreement} denied by statement DenyBaa of guardrail NoAgreements`,
    );
    expect(decision.matchedStatements).toEqual([
      { policy: 'NoAgreements', sid: 'DenyBaa', effect: 'Deny', source: 'guardrail' },
    ]);
  });

  it('denies implicitly when one guardrail level allows nothing, naming that level and its policies', () => {
    const reportsOnly = policy('ReportsOnly', { Effect: 'Allow', Action: 'portal:*Report*', Resource: '*' });

    const decision = evaluate({
      action: 'portal:AcceptAgreement',
      resource: agreement,
      identityPolicies: [{ name: 'OrganizationAdmin', document: managedPolicies.OrganizationAdmin }],
      guardrails: [[fullAccess], [reportsOnly], [fullAccess]],
      guardrailLevelNames: ['the root', 'OU Healthcare', 'account 111111111111'],
    });

    expect(decision.decision).toBe('ImplicitDeny');
    expect(decision.reason).toBe('no guardrail on OU Healthcare (ReportsOnly) allows portal:AcceptAgreement');
    expect(decision.matchedStatements.map((match) => match.policy)).toEqual([
      'OrganizationAdmin',
      'FullAccessGuardrail',
      'FullAccessGuardrail',
    ]);
  });

  it('treats a level with nothing attached as allowing nothing', () => {
    const decision = evaluate({
      identityPolicies: [{ name: 'ReportsReadOnly', document: managedPolicies.ReportsReadOnly }],
      guardrails: [[fullAccess], []],
    });

    expect(decision.decision).toBe('ImplicitDeny');
    expect(decision.reason).toBe('no guardrail is attached to the account, so nothing there allows portal:GetReport');
  });

  it('ignores guardrails, their denies included, when they do not apply (management account)', () => {
    const denyAll = policy('DenyAll', { Sid: 'Everything', Effect: 'Deny', Action: '*', Resource: '*' });

    const decision = evaluate({
      identityPolicies: [{ name: 'ReportsReadOnly', document: managedPolicies.ReportsReadOnly }],
      guardrails: [[denyAll], []],
      guardrailsApply: false,
    });

    expect(decision.decision).toBe('Allow');
  });

  it('lets an identity Deny win over an identity Allow, and reports a statement without Sid by its number', () => {
    const decision = evaluate({
      identityPolicies: [
        { name: 'ReportsReadOnly', document: managedPolicies.ReportsReadOnly },
        policy(
          'NoSoc',
          { Effect: 'Allow', Action: 'portal:ListReports', Resource: '*' },
          { Effect: 'Deny', Action: 'portal:Get*', Resource: 'arn:portal:o-1:*:report/*' },
        ),
      ],
    });

    expect(decision.decision).toBe('ExplicitDeny');
    expect(decision.reason).toContain('denied by statement #2 of policy NoSoc');
  });

  it('reads NotAction and NotResource as "everything but"', () => {
    const allButLedger = policy('AllButLedger', {
      Effect: 'Allow',
      NotAction: 'portal:*Ledger',
      NotResource: 'arn:portal:o-1:222222222222:*',
    });
    const ask = (action: string, resource: string) =>
      evaluate({ action, resource, identityPolicies: [allButLedger] }).decision;

    expect(ask('portal:GetReport', report)).toBe('Allow');
    expect(ask('portal:ReadLedger', 'arn:portal:o-1::ledger')).toBe('ImplicitDeny');
    expect(ask('portal:GetReport', 'arn:portal:o-1:222222222222:report/r-1')).toBe('ImplicitDeny');
  });

  it('matches actions case-insensitively and resources case-sensitively', () => {
    const exact = policy('Exact', { Effect: 'Allow', Action: 'PORTAL:getreport', Resource: report });

    expect(evaluate({ identityPolicies: [exact] }).decision).toBe('Allow');
    expect(evaluate({ identityPolicies: [exact], resource: report.toUpperCase() }).decision).toBe('ImplicitDeny');
  });

  it('applies a statement only when all its conditions hold', () => {
    const mfaSoc = policy('MfaSoc', {
      Effect: 'Allow',
      Action: 'portal:GetReport',
      Resource: '*',
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': true },
        StringEquals: { 'portal:ReportCategory': ['SOC', 'ISO'] },
      },
    });
    const ask = (context: RequestContext) => evaluate({ identityPolicies: [mfaSoc], context }).decision;

    expect(ask({ 'aws:MultiFactorAuthPresent': true, 'portal:ReportCategory': 'ISO' })).toBe('Allow');
    expect(ask({ 'aws:MultiFactorAuthPresent': false, 'portal:ReportCategory': 'ISO' })).toBe('ImplicitDeny');
    expect(ask({ 'aws:MultiFactorAuthPresent': true, 'portal:ReportCategory': 'PCI' })).toBe('ImplicitDeny');
    expect(ask({ 'aws:multifactorauthpresent': 'true', 'PORTAL:REPORTCATEGORY': 'SOC' })).toBe('Allow');
  });

  it('expands policy variables in resources, literally, and skips the statement when one has no value', () => {
    const ownAccount = policy('OwnAccount', {
      Effect: 'Allow',
      Action: 'portal:GetAgreementCoverage',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
      Resource: 'arn:portal:o-1:${portal:PrincipalAccount}:agreement/*',
    });
    const ask = (resource: string, context: RequestContext) =>
      evaluate({ action: 'portal:GetAgreementCoverage', resource, identityPolicies: [ownAccount], context }).decision;

    expect(ask(agreement, { 'portal:PrincipalAccount': '111111111111' })).toBe('Allow');
    expect(ask('arn:portal:o-1:222222222222:agreement/baa', { 'portal:PrincipalAccount': '111111111111' })).toBe(
      'ImplicitDeny',
    );
    expect(ask(agreement, { 'portal:PrincipalAccount': '*' })).toBe('ImplicitDeny');
    expect(ask(agreement, {})).toBe('ImplicitDeny');
  });

  it('takes the resource "*" literally: only a "*" pattern matches it', () => {
    const specific = policy('Specific', { Effect: 'Allow', Action: 'portal:GetReport', Resource: report });
    const any = policy('Any', { Effect: 'Allow', Action: 'portal:GetReport', Resource: '*' });

    expect(evaluate({ resource: '*', identityPolicies: [specific] }).decision).toBe('ImplicitDeny');
    expect(evaluate({ resource: '*', identityPolicies: [any] }).decision).toBe('Allow');
  });

  it('gives every reason when both identity and a guardrail fail to allow', () => {
    const decision = evaluate({ guardrails: [[]], identityPolicies: [] });

    expect(decision.reason).toBe(
      `no guardrail is attached to the root, so nothing there allows portal:GetReport; no identity policy allows portal:GetReport on ${report}`,
    );
  });
});
