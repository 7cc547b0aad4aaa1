import { didYouMean } from './closest-name.js';

/**
 * Portal resource names: `arn:portal:<orgId>:<accountId>:<type>[/<id>]`, the account empty for
 * org-level resources (`arn:portal:o-1::ledger`, `arn:portal:o-1::user/u-9`). Concrete names are
 * built only by `access/resources.ts`.
 */
export const portalResourceTypes = [
  'report',
  'download',
  'agreement',
  'evidence-bundle',
  'ledger',
  'organization',
  'ou',
  'account',
  'user',
  'group',
  'role',
  'policy',
  'guardrail',
  'notification',
  'subscription',
  'webhook',
  'signing-key',
  'report-terms',
  'publisher',
  'compliance-inquiry',
] as const;

export type PortalResourceType = (typeof portalResourceTypes)[number];

const knownTypes: readonly string[] = portalResourceTypes;

export interface PortalArn {
  orgId: string;
  /** 12 digits, or empty for org-level resources (`*` is accepted: wildcard-scoped questions). */
  accountId: string;
  resourceType: string;
  /** Empty for singleton resources (`ledger`, `organization`). */
  resourceId: string;
}

export const ARN_PREFIX = 'arn:portal:';
export const ARN_SHAPE = 'arn:portal:<orgId>:<accountId>:<type>/<id> (accountId empty for org-level resources)';

const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ACCOUNT_ID = /^(?:|\d{12}|\*)$/;
const RESOURCE_ID = /^[A-Za-z0-9._@+=,/-]{1,512}$/;

/** Parses a concrete resource name; `undefined` for anything malformed (including policy wildcards). */
export function parsePortalArn(arn: string): PortalArn | undefined {
  if (!arn.startsWith(ARN_PREFIX)) return undefined;
  const parts = arn.slice(ARN_PREFIX.length).split(':');
  if (parts.length !== 3) return undefined;
  const [orgId, accountId, resource] = parts as [string, string, string];
  if (!ORG_ID.test(orgId) || !ACCOUNT_ID.test(accountId)) return undefined;
  const slash = resource.indexOf('/');
  const resourceType = slash < 0 ? resource : resource.slice(0, slash);
  const resourceId = slash < 0 ? '' : resource.slice(slash + 1);
  if (!knownTypes.includes(resourceType)) return undefined;
  if (slash >= 0 && !RESOURCE_ID.test(resourceId)) return undefined;
  return { orgId, accountId, resourceType, resourceId };
}

export function formatPortalArn(arn: PortalArn): string {
  const resource = arn.resourceId === '' ? arn.resourceType : `${arn.resourceType}/${arn.resourceId}`;
  return `${ARN_PREFIX}${arn.orgId}:${arn.accountId}:${resource}`;
}

const ORG_PATTERN = /^[A-Za-z0-9_*?-]{1,64}$/;
const ACCOUNT_PATTERN = /^[0-9*?]{0,12}$/;
const TYPE_PATTERN = /^[a-z*?-]{1,32}$/;
const ID_PATTERN = /^[A-Za-z0-9._@+=,/*?-]{1,512}$/;
const SPANNING_PART = /^[A-Za-z0-9._@+=,/*?-]*$/;

/**
 * Checks a policy's resource pattern (wildcards allowed; policy variables already replaced by a
 * placeholder). Returns why it is malformed, or `undefined` when it is fine.
 */
export function describeArnPatternProblem(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  const malformed = `malformed resource "${pattern}": expected "*" or ${ARN_SHAPE}`;
  if (!pattern.startsWith(ARN_PREFIX)) {
    if (pattern.toLowerCase().startsWith('arn:')) {
      const service = pattern.split(':')[1] ?? '';
      return service.toLowerCase() === 'portal'
        ? `${malformed}; ARNs are case-sensitive: write "arn:portal:"`
        : `${malformed}; the service must be "portal", not "${service}"`;
    }
    return malformed;
  }
  const parts = pattern.slice(ARN_PREFIX.length).split(':');
  if (parts.length > 3) return `${malformed}; too many ":" separators`;
  if (parts.length < 3) {
    // A `*` may stand for several segments (`arn:portal:o-1:*`), as in IAM.
    if (!pattern.includes('*')) return `${malformed}; missing segments`;
    return parts.every((part) => SPANNING_PART.test(part)) ? undefined : `${malformed}; invalid characters`;
  }
  const [org, account, resource] = parts as [string, string, string];
  if (!ORG_PATTERN.test(org)) return `${malformed}; invalid organization id "${org}"`;
  if (!ACCOUNT_PATTERN.test(account) || (!/[*?]/.test(account) && account !== '' && account.length !== 12)) {
    return `${malformed}; account id must be 12 digits or empty, not "${account}"`;
  }
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const id = slash < 0 ? undefined : resource.slice(slash + 1);
  if (!TYPE_PATTERN.test(type)) return `${malformed}; invalid resource type "${type}"`;
  if (!/[*?]/.test(type) && !knownTypes.includes(type)) {
    const hint = didYouMean(type, knownTypes);
    return `${malformed}; unknown resource type "${type}"${hint || ` (known: ${portalResourceTypes.join(', ')})`}`;
  }
  if (id !== undefined && !ID_PATTERN.test(id)) return `${malformed}; invalid resource id "${id}"`;
  return undefined;
}
