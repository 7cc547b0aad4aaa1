import { wildcardMatch } from './wildcard-match.js';

/**
 * AWS Artifact's IAM vocabulary, accepted in portal policies so that policies written for Artifact keep
 * working (docs/artifact-api.md): each `artifact:` action stands for the portal actions its operation
 * asks, and each `artifact:` condition key for the portal key it names. A statement naming an Artifact
 * action applies to requests for the portal actions it maps to, on every path (portal routes too).
 */
export const artifactActions: Readonly<Record<string, readonly `portal:${string}`[]>> = {
  'artifact:ListReports': ['portal:ListReports'],
  'artifact:ListReportVersions': ['portal:GetReport'],
  'artifact:GetReportMetadata': ['portal:GetReport'],
  'artifact:GetTermForReport': ['portal:AcceptReportTerms'],
  'artifact:GetReport': ['portal:DownloadReport'],
  'artifact:ListAgreements': ['portal:ListAgreements'],
  'artifact:GetAgreement': ['portal:GetAgreement'],
  'artifact:GetNdaForAgreement': ['portal:GetAgreement'],
  'artifact:AcceptNdaForAgreement': ['portal:AcceptAgreement'],
  'artifact:AcceptAgreement': ['portal:AcceptAgreement'],
  'artifact:TerminateAgreement': ['portal:TerminateAgreement'],
  'artifact:ListCustomerAgreements': ['portal:ListAgreements', 'portal:GetAgreement'],
  'artifact:GetCustomerAgreement': ['portal:GetAgreement'],
  'artifact:GetAccountSettings': ['portal:ListNotifications'],
  'artifact:PutAccountSettings': ['portal:ManageSubscriptions'],
  'artifact:ListTagsForResource': ['portal:ListTagsForResource'],
  'artifact:TagResource': ['portal:TagResource'],
  'artifact:UntagResource': ['portal:UntagResource'],
};

/** Artifact's condition keys and the portal keys they read. */
export const artifactConditionKeys: Readonly<Record<string, string>> = {
  'artifact:reportseries': 'portal:ReportSeries',
  'artifact:reportcategory': 'portal:ReportCategory',
};

const artifactNames = Object.keys(artifactActions);
const aliasesByPortalAction = new Map<string, string[]>();
for (const [name, portal] of Object.entries(artifactActions)) {
  for (const action of portal) {
    const key = action.toLowerCase();
    aliasesByPortalAction.set(key, [...(aliasesByPortalAction.get(key) ?? []), name]);
  }
}

/** The Artifact actions that stand for a portal action (`portal:DownloadReport` -> `artifact:GetReport`). */
export const artifactAliasesOf = (portalAction: string): readonly string[] =>
  aliasesByPortalAction.get(portalAction.toLowerCase()) ?? [];

/** Whether a policy's `artifact:…` action name (wildcards allowed) names some Artifact action. */
export const isArtifactActionPattern = (pattern: string): boolean =>
  artifactNames.some((name) => wildcardMatch(pattern, name, { caseInsensitive: true }));

/** The portal key an `artifact:` condition key reads (case-insensitive), or the key itself. */
export const portalConditionKeyOf = (key: string): string => {
  const folded = key.toLowerCase();
  // Own keys only: a policy may name `__proto__` or `constructor` as a condition key.
  return Object.hasOwn(artifactConditionKeys, folded) ? (artifactConditionKeys[folded] as string) : key;
};
