import type { PrincipalTarget } from '../organization/directory-keys.js';
import { formatPortalArn, type PortalResourceType } from './policy/portal-arn.js';

/**
 * The one home of resource names: every ARN the portal asks `authorize` about, records as a ledger
 * subject or declares on a route is built here, one shape per resource type:
 *
 *     arn:portal:<orgId>:<accountId>:<type>[/<id>]
 *
 * `accountId` is the member account the question is about (the caller's own, or the one the input
 * names) for account-scoped resources, and empty for org-level ones. Route declarations pass
 * placeholders (`agreementArn('{orgId}', '{id}', '{accountId}')`) or wildcards (`'*'`) to the same
 * builders, so a declaration and the use case's own question cannot drift apart.
 */
function arn(orgId: string, accountId: string, resourceType: PortalResourceType, resourceId = ''): string {
  return formatPortalArn({ orgId, accountId, resourceType, resourceId });
}

/** A catalog report as seen from an account (the asking principal's); org-level subjects omit it. */
export const reportArn = (orgId: string, reportId: string, accountId = '') => arn(orgId, accountId, 'report', reportId);
/** A published terms revision of the report catalog (a ledger subject; acts on it ask about reports). */
export const reportTermsArn = (orgId: string, revisionId: string, accountId = '') =>
  arn(orgId, accountId, 'report-terms', revisionId);
/** A watermarked download, owned by the downloading account. */
export const downloadArn = (orgId: string, accountId: string, downloadId: string) =>
  arn(orgId, accountId, 'download', downloadId);
/** An agreement for one account, or for the whole organization (`accountId` empty). */
export const agreementArn = (orgId: string, agreementId: string, accountId = '') =>
  arn(orgId, accountId, 'agreement', agreementId);
export const evidenceBundleArn = (orgId: string, accountId: string, bundleId: string) =>
  arn(orgId, accountId, 'evidence-bundle', bundleId);
export const ledgerArn = (orgId: string) => arn(orgId, '', 'ledger');
export const organizationArn = (orgId: string) => arn(orgId, '', 'organization');
export const unitArn = (orgId: string, unitId: string) => arn(orgId, '', 'ou', unitId);
/** A member account is its own account scope: `arn:portal:o-1:111111111111:account/111111111111`. */
export const accountArn = (orgId: string, accountId: string) => arn(orgId, accountId, 'account', accountId);
export const userArn = (orgId: string, userId: string) => arn(orgId, '', 'user', userId);
export const groupArn = (orgId: string, groupId: string) => arn(orgId, '', 'group', groupId);
export const roleArn = (orgId: string, roleId: string) => arn(orgId, '', 'role', roleId);
export const policyArn = (orgId: string, policyRef: string) => arn(orgId, '', 'policy', policyRef);
/** A guardrail attachment, named by its policy. */
export const guardrailArn = (orgId: string, policyRef: string) => arn(orgId, '', 'guardrail', policyRef);
export const notificationArn = (orgId: string, notificationId: string) =>
  arn(orgId, '', 'notification', notificationId);
export const subscriptionArn = (orgId: string, subscriptionId: string) =>
  arn(orgId, '', 'subscription', subscriptionId);
export const webhookArn = (orgId: string, webhookId: string) => arn(orgId, '', 'webhook', webhookId);
export const signingKeyArn = (orgId: string) => arn(orgId, '', 'signing-key');
/** A publisher grant of the global catalog, held by the organization `publisherOrgId`. */
export const publisherArn = (orgId: string, publisherOrgId: string) => arn(orgId, '', 'publisher', publisherOrgId);

/** A compliance inquiry: the organization's own questions, answered from the report catalog (org-level). */
export const complianceInquiryArn = (orgId: string, inquiryId: string) =>
  arn(orgId, '', 'compliance-inquiry', inquiryId);

/** The user, group or role a policy is attached to (the target of an attachment or grant). */
export function principalArn(orgId: string, target: PrincipalTarget): string {
  switch (target.type) {
    case 'user':
      return userArn(orgId, target.id);
    case 'group':
      return groupArn(orgId, target.id);
    case 'role':
      return roleArn(orgId, target.id);
  }
}

/** A node of the organization tree guardrails attach to: the root (the organization), an OU or an account. */
export function organizationNodeArn(orgId: string, rootId: string, nodeId: string): string {
  if (nodeId === rootId) return organizationArn(orgId);
  return /^\d{12}$/.test(nodeId) ? accountArn(orgId, nodeId) : unitArn(orgId, nodeId);
}

/** One builder per resource type: a type without one does not compile. */
export const resourceArns = {
  report: reportArn,
  'report-terms': reportTermsArn,
  download: downloadArn,
  agreement: agreementArn,
  'evidence-bundle': evidenceBundleArn,
  ledger: ledgerArn,
  organization: organizationArn,
  ou: unitArn,
  account: accountArn,
  user: userArn,
  group: groupArn,
  role: roleArn,
  policy: policyArn,
  guardrail: guardrailArn,
  notification: notificationArn,
  subscription: subscriptionArn,
  webhook: webhookArn,
  'signing-key': signingKeyArn,
  publisher: publisherArn,
  'compliance-inquiry': complianceInquiryArn,
} satisfies Record<PortalResourceType, (orgId: string, ...rest: string[]) => string>;
