import type { PolicyDocument } from './policy-document.js';

/**
 * Built-in policies, analogous to AWS Artifact's managed policies. They name actions (and wildcards
 * over them) on any resource; tenancy is not theirs to enforce: every resource a principal can name
 * is in its own organization.
 */
export type ManagedPolicyName =
  | 'ReportsReadOnly'
  | 'AgreementsReadOnly'
  | 'AgreementsFullAccess'
  | 'EvidenceExporter'
  | 'OrganizationAdmin'
  | 'CatalogOperator'
  | 'AuditorReadOnly'
  | 'FullAccessGuardrail';

const allow = (Sid: string, Action: string | string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid, Effect: 'Allow', Action, Resource: '*' }],
});

export const managedPolicies: Readonly<Record<ManagedPolicyName, PolicyDocument>> = {
  ReportsReadOnly: allow('ReadReports', [
    'portal:ListReports',
    'portal:GetReport',
    'portal:AcceptReportTerms',
    'portal:DownloadReport',
    'portal:ListDownloads',
    'portal:ListTagsForResource',
  ]),
  AgreementsReadOnly: allow('ReadAgreements', [
    'portal:ListAgreements',
    'portal:GetAgreement',
    'portal:GetAgreementCoverage',
    'portal:ListTagsForResource',
  ]),
  AgreementsFullAccess: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ManageAgreements',
        Effect: 'Allow',
        Action: [
          'portal:ListAgreements',
          'portal:GetAgreement',
          'portal:GetAgreementCoverage',
          'portal:AcceptAgreement',
          'portal:TerminateAgreement',
          // Choosing the accounts an acceptance covers needs the org tree.
          'portal:DescribeOrganization',
          'portal:ListTagsForResource',
        ],
        Resource: '*',
      },
      {
        Sid: 'TagAgreements',
        Effect: 'Allow',
        Action: ['portal:TagResource', 'portal:UntagResource'],
        Resource: 'arn:portal:*:*:agreement/*',
      },
    ],
  },
  EvidenceExporter: allow('ExportEvidence', [
    'portal:ListReports',
    'portal:GetReport',
    'portal:ExportEvidence',
    'portal:ListEvidenceBundles',
    'portal:GetEvidenceBundle',
    'portal:DownloadEvidenceBundle',
  ]),
  OrganizationAdmin: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AdministerOrganization',
        Effect: 'Allow',
        // Everything a customer organization does; publishing belongs to the catalog's publishers.
        // Onboarding other organizations belongs to the portal operator.
        NotAction: [
          'portal:PublishReport',
          'portal:PublishAgreement',
          'portal:ManagePublishers',
          'portal:CreateOrganization',
        ],
        Resource: '*',
      },
    ],
  },
  // The catalog side of the deployment's first organization (bootstrap attaches it to its admin): a
  // customer admin's OrganizationAdmin leaves these out, and no one hands out more than they hold.
  CatalogOperator: allow('OperateCatalog', [
    'portal:PublishReport',
    'portal:PublishAgreement',
    'portal:ManagePublishers',
  ]),
  AuditorReadOnly: allow('ReadEverything', [
    'portal:List*',
    'portal:Get*',
    'portal:Describe*',
    'portal:DownloadReport',
    'portal:DownloadEvidenceBundle',
    'portal:AcceptReportTerms',
    'portal:ReadLedger',
    'portal:VerifyLedger',
    'portal:ExportLedger',
  ]),
  // Guardrails allow nothing by default (every level must allow), so this is what an unrestricted level holds.
  FullAccessGuardrail: allow('FullAccess', '*'),
};

export const managedPolicyDescriptions: Readonly<Record<ManagedPolicyName, string>> = {
  ReportsReadOnly: 'Find, read, accept the terms of and download reports; read their tags.',
  AgreementsReadOnly: 'Read agreements, their tags and which accounts they cover.',
  AgreementsFullAccess:
    'Read, accept and terminate agreements for accounts or the whole organization; read tags, and tag agreements.',
  EvidenceExporter: 'Export, read and download evidence bundles of reports.',
  OrganizationAdmin: 'Administer the organization: org tree, users, access, agreements, ledger (not publishing).',
  CatalogOperator:
    'Publish reports, terms, agreements and revisions to the global catalog, and grant other publishers (the portal operator).',
  AuditorReadOnly:
    'Read everything, including the audit trail, the org tree and access configuration; the only change it allows is accepting report terms, which downloading needs.',
  FullAccessGuardrail: 'A guardrail that restricts nothing (attach it where a level should not narrow access).',
};

export const managedPolicyNames = Object.keys(managedPolicies) as ManagedPolicyName[];
