import type { PortalAction } from '../../api/types.js';

/**
 * The action catalog, for choosing in the simulator and access analysis. The names come from the
 * generated API types: the compiler fails if the API gains an action missing here, or loses one.
 */
const list = [
  'portal:ListReports',
  'portal:GetReport',
  'portal:AcceptReportTerms',
  'portal:DownloadReport',
  'portal:ListDownloads',
  'portal:GetDownload',
  'portal:PublishReport',
  'portal:ListAgreements',
  'portal:GetAgreement',
  'portal:AcceptAgreement',
  'portal:TerminateAgreement',
  'portal:GetAgreementCoverage',
  'portal:PublishAgreement',
  'portal:ListTagsForResource',
  'portal:TagResource',
  'portal:UntagResource',
  'portal:ManagePublishers',
  'portal:ExportEvidence',
  'portal:ListEvidenceBundles',
  'portal:GetEvidenceBundle',
  'portal:DownloadEvidenceBundle',
  'portal:ReadLedger',
  'portal:VerifyLedger',
  'portal:SignLedgerCheckpoint',
  'portal:ExportLedger',
  'portal:DescribeOrganization',
  'portal:CreateOrganization',
  'portal:ManageOrganization',
  'portal:DescribeAccess',
  'portal:ManageAccess',
  'portal:AssumeRole',
  'portal:SimulatePolicy',
  'portal:GetCredentialReport',
  'portal:AnalyzeAccess',
  'portal:ListNotifications',
  'portal:ManageSubscriptions',
  'portal:ManageWebhooks',
  'portal:CreateAccessKey',
  'portal:ListAccessKeys',
  'portal:UpdateAccessKey',
  'portal:DeleteAccessKey',
] as const satisfies readonly PortalAction[];

type Missing = Exclude<PortalAction, (typeof list)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;

export const portalActions: readonly PortalAction[] = complete ? list : list;
