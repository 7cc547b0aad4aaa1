import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from './evaluate-policies.js';
import { type ManagedPolicyName, managedPolicies, managedPolicyNames } from './managed-policies.js';
import { portalActions } from './portal-actions.js';
import { validatePolicyDocument } from './validate-policy-document.js';

function allowedActions(name: ManagedPolicyName): string[] {
  return portalActions.filter(
    (action) =>
      evaluatePolicies({
        action,
        resource: 'arn:portal:o-1:111111111111:report/r-1',
        context: {},
        identityPolicies: [{ name, document: managedPolicies[name] }],
        guardrails: [],
        guardrailsApply: false,
      }).decision === 'Allow',
  );
}

describe('managed policies', () => {
  it.each(managedPolicyNames)('%s is a valid document', (name) => {
    expect(validatePolicyDocument(managedPolicies[name])).toEqual({ ok: true, document: managedPolicies[name] });
  });

  it.each<[ManagedPolicyName, string[]]>([
    [
      'ReportsReadOnly',
      [
        'portal:ListReports',
        'portal:GetReport',
        'portal:AcceptReportTerms',
        'portal:DownloadReport',
        'portal:ListDownloads',
        'portal:ListTagsForResource',
      ],
    ],
    [
      'AgreementsReadOnly',
      ['portal:ListAgreements', 'portal:GetAgreement', 'portal:GetAgreementCoverage', 'portal:ListTagsForResource'],
    ],
    [
      'AgreementsFullAccess',
      [
        'portal:ListAgreements',
        'portal:GetAgreement',
        'portal:AcceptAgreement',
        'portal:TerminateAgreement',
        'portal:GetAgreementCoverage',
        'portal:DescribeOrganization',
        'portal:ListTagsForResource',
      ],
    ],
    [
      'EvidenceExporter',
      [
        'portal:ListReports',
        'portal:GetReport',
        'portal:ExportEvidence',
        'portal:ListEvidenceBundles',
        'portal:GetEvidenceBundle',
        'portal:DownloadEvidenceBundle',
      ],
    ],
  ])('%s allows exactly its actions', (name, expected) => {
    expect(allowedActions(name).sort()).toEqual([...expected].sort());
  });

  it('OrganizationAdmin allows everything but publishing, managing publishers and onboarding organizations', () => {
    expect(portalActions.filter((action) => !allowedActions('OrganizationAdmin').includes(action))).toEqual([
      'portal:PublishReport',
      'portal:ManagePublishers',
      'portal:PublishAgreement',
      'portal:CreateOrganization',
    ]);
  });

  it('tags: the auditor only lists them; AgreementsFullAccess tags agreements, not reports', () => {
    const decide = (name: ManagedPolicyName, action: string, resource: string) =>
      evaluatePolicies({
        action,
        resource,
        context: {},
        identityPolicies: [{ name, document: managedPolicies[name] }],
        guardrails: [],
        guardrailsApply: false,
      }).decision;
    const report = 'arn:portal:o-1:111111111111:report/r-1';
    const agreement = 'arn:portal:o-1::agreement/a-1';

    expect(decide('AuditorReadOnly', 'portal:ListTagsForResource', report)).toBe('Allow');
    expect(decide('AuditorReadOnly', 'portal:TagResource', report)).toBe('ImplicitDeny');
    expect(decide('AuditorReadOnly', 'portal:UntagResource', agreement)).toBe('ImplicitDeny');
    expect(decide('AgreementsFullAccess', 'portal:TagResource', agreement)).toBe('Allow');
    expect(decide('AgreementsFullAccess', 'portal:UntagResource', agreement)).toBe('Allow');
    expect(decide('AgreementsFullAccess', 'portal:TagResource', report)).toBe('ImplicitDeny');
    expect(decide('OrganizationAdmin', 'portal:TagResource', report)).toBe('Allow');
  });

  it('AuditorReadOnly allows reading and nothing that changes state', () => {
    const allowed = allowedActions('AuditorReadOnly');

    expect(allowed).toEqual(
      expect.arrayContaining(['portal:ReadLedger', 'portal:DescribeAccess', 'portal:GetCredentialReport']),
    );
    for (const action of [
      'portal:AcceptAgreement',
      'portal:TerminateAgreement',
      'portal:ManageAccess',
      'portal:ManageOrganization',
      'portal:ExportEvidence',
      'portal:PublishReport',
      'portal:AssumeRole',
    ]) {
      expect(allowed).not.toContain(action);
    }
  });

  it('FullAccessGuardrail lets every action through', () => {
    expect(allowedActions('FullAccessGuardrail')).toEqual(portalActions);
  });
});
