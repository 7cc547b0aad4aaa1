/**
 * The catalog of `portal:*` actions, in the manner of IAM's service authorization reference: what
 * each action does, its access level, and the resource types it is asked about. Policies may only
 * name actions listed here (validation suggests the nearest name for a typo).
 */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management';

export interface PortalActionDefinition {
  name: `portal:${string}`;
  level: AccessLevel;
  description: string;
  /** Resource types of the ARNs this action is authorized against (see portal-arn.ts). */
  resourceTypes: readonly string[];
}

export const portalActionCatalog: readonly PortalActionDefinition[] = [
  // Reports (the global catalog; customer orgs see published ones)
  {
    name: 'portal:ListReports',
    level: 'List',
    description: 'List and search published reports.',
    resourceTypes: ['report'],
  },
  {
    name: 'portal:GetReport',
    level: 'Read',
    description: 'Read a report, its versions and terms.',
    resourceTypes: ['report'],
  },
  {
    name: 'portal:AcceptReportTerms',
    level: 'Write',
    description: "Accept a report version's terms.",
    resourceTypes: ['report'],
  },
  {
    name: 'portal:DownloadReport',
    level: 'Read',
    description: 'Download a watermarked copy of a report.',
    resourceTypes: ['report'],
  },
  { name: 'portal:ListDownloads', level: 'List', description: 'List report downloads.', resourceTypes: ['download'] },
  {
    name: 'portal:GetDownload',
    level: 'Read',
    description: 'Resolve a download id (leak trace-back).',
    resourceTypes: ['download'],
  },
  {
    name: 'portal:PublishReport',
    level: 'Write',
    description: 'Publish a report or a new version.',
    resourceTypes: ['report'],
  },
  {
    name: 'portal:ManagePublishers',
    level: 'Permissions management',
    description: 'Grant and revoke publisher grants (the portal operator organization only).',
    resourceTypes: ['publisher'],
  },
  // Agreements
  { name: 'portal:ListAgreements', level: 'List', description: 'List agreements.', resourceTypes: ['agreement'] },
  {
    name: 'portal:GetAgreement',
    level: 'Read',
    description: 'Read an agreement and its revisions.',
    resourceTypes: ['agreement'],
  },
  {
    name: 'portal:AcceptAgreement',
    level: 'Write',
    description: 'Accept an agreement for an account or the org.',
    resourceTypes: ['agreement'],
  },
  {
    name: 'portal:TerminateAgreement',
    level: 'Write',
    description: 'Terminate an accepted agreement.',
    resourceTypes: ['agreement'],
  },
  {
    name: 'portal:GetAgreementCoverage',
    level: 'Read',
    description: 'Ask which agreements cover an account, and when.',
    resourceTypes: ['agreement', 'account'],
  },
  {
    name: 'portal:PublishAgreement',
    level: 'Write',
    description: 'Publish an agreement or a new revision.',
    resourceTypes: ['agreement'],
  },
  // Tags (per organization, on reports, agreements and every registered taggable type: docs/tags.md)
  {
    name: 'portal:ListTagsForResource',
    level: 'List',
    description: "List the organization's tags on a resource (aws:ResourceTag/<key>).",
    resourceTypes: ['report', 'agreement'],
  },
  {
    name: 'portal:TagResource',
    level: 'Write',
    description: 'Add or change tags on a resource (aws:RequestTag/<key>, aws:TagKeys, aws:ResourceTag/<key>).',
    resourceTypes: ['report', 'agreement'],
  },
  {
    name: 'portal:UntagResource',
    level: 'Write',
    description: 'Remove tags from a resource (aws:TagKeys, aws:ResourceTag/<key>).',
    resourceTypes: ['report', 'agreement'],
  },
  // Evidence bundles
  {
    name: 'portal:ExportEvidence',
    level: 'Write',
    description: 'Create a signed, encrypted evidence bundle.',
    resourceTypes: ['evidence-bundle'],
  },
  {
    name: 'portal:ListEvidenceBundles',
    level: 'List',
    description: 'List evidence bundles.',
    resourceTypes: ['evidence-bundle'],
  },
  {
    name: 'portal:GetEvidenceBundle',
    level: 'Read',
    description: "Read a bundle's status and progress.",
    resourceTypes: ['evidence-bundle'],
  },
  {
    name: 'portal:DownloadEvidenceBundle',
    level: 'Read',
    description: 'Download an evidence bundle.',
    resourceTypes: ['evidence-bundle'],
  },
  // Ledger
  {
    name: 'portal:ReadLedger',
    level: 'Read',
    description: 'Read and search the audit trail.',
    resourceTypes: ['ledger'],
  },
  {
    name: 'portal:VerifyLedger',
    level: 'Read',
    description: 'Verify the hash chain and checkpoints.',
    resourceTypes: ['ledger'],
  },
  {
    name: 'portal:SignLedgerCheckpoint',
    level: 'Write',
    description: 'Verify the ledger and sign a checkpoint now (a KMS signature), besides the scheduled job.',
    resourceTypes: ['ledger'],
  },
  {
    name: 'portal:ExportLedger',
    level: 'Read',
    description: 'Export the audit trail as JSON Lines.',
    resourceTypes: ['ledger'],
  },
  // Organization
  {
    name: 'portal:DescribeOrganization',
    level: 'Read',
    description: 'Read the org tree: OUs and accounts.',
    resourceTypes: ['organization', 'ou', 'account'],
  },
  {
    name: 'portal:CreateOrganization',
    level: 'Write',
    description: 'Onboard another customer organization (portal operator organization only).',
    resourceTypes: ['organization'],
  },
  {
    name: 'portal:ManageOrganization',
    level: 'Write',
    description: 'Create, move and remove OUs and accounts.',
    resourceTypes: ['organization', 'ou', 'account'],
  },
  // Access
  {
    name: 'portal:DescribeAccess',
    level: 'Read',
    description: 'Read users, groups, roles, policies and guardrails.',
    resourceTypes: ['user', 'group', 'role', 'policy', 'guardrail'],
  },
  {
    name: 'portal:ManageAccess',
    level: 'Permissions management',
    description:
      'Invite and deactivate users; change groups, roles, policies, guardrails and grants (asked about the policy and the principal or node it targets).',
    resourceTypes: ['user', 'group', 'role', 'policy', 'guardrail', 'organization', 'ou', 'account'],
  },
  {
    name: 'portal:AssumeRole',
    level: 'Write',
    description: "Assume a role (also subject to the role's trust policy).",
    resourceTypes: ['role'],
  },
  {
    name: 'portal:SimulatePolicy',
    level: 'Read',
    description: 'Ask the policy simulator why an action is allowed or denied.',
    resourceTypes: ['organization'],
  },
  {
    name: 'portal:GetCredentialReport',
    level: 'Read',
    description: 'Read the credential report.',
    resourceTypes: ['organization'],
  },
  {
    name: 'portal:AnalyzeAccess',
    level: 'Read',
    description: 'Ask which principals can perform an action on a resource.',
    resourceTypes: ['organization'],
  },
  // Notifications
  {
    name: 'portal:ListNotifications',
    level: 'List',
    description: 'Read the notification feed.',
    resourceTypes: ['notification'],
  },
  {
    name: 'portal:ManageSubscriptions',
    level: 'Write',
    description: 'Subscribe to and unsubscribe from notifications.',
    resourceTypes: ['subscription'],
  },
  {
    name: 'portal:ManageWebhooks',
    level: 'Write',
    description: 'Create, change and delete webhooks; read deliveries.',
    resourceTypes: ['webhook'],
  },
  // Access keys (SigV4 credentials of a user: docs/artifact-api.md), asked on the key owner's ARN
  {
    name: 'portal:CreateAccessKey',
    level: 'Write',
    description: 'Create an access key for a user (the secret is shown once).',
    resourceTypes: ['user'],
  },
  { name: 'portal:ListAccessKeys', level: 'List', description: "List a user's access keys.", resourceTypes: ['user'] },
  {
    name: 'portal:UpdateAccessKey',
    level: 'Write',
    description: 'Activate or deactivate an access key.',
    resourceTypes: ['user'],
  },
  { name: 'portal:DeleteAccessKey', level: 'Write', description: 'Delete an access key.', resourceTypes: ['user'] },
];

/** Every action name policies may use. */
export const portalActions: readonly string[] = portalActionCatalog.map((action) => action.name);
