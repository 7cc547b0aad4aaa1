import { portalConditionKeyOf } from './artifact-vocabulary.js';

/**
 * The condition keys a request context may carry. Keys are matched case-insensitively, as in IAM.
 * The type decides which operators may compare it (validation rejects `DateLessThan` on a string key).
 */
export type ConditionKeyType = 'String' | 'Arn' | 'Bool' | 'Date' | 'Numeric';

export interface ConditionKeyDefinition {
  name: string;
  type: ConditionKeyType;
  /** Several values per request (use `ForAnyValue:`/`ForAllValues:`). */
  multiValued?: boolean;
  description: string;
}

export const conditionKeyCatalog: readonly ConditionKeyDefinition[] = [
  {
    name: 'portal:ReportCategory',
    type: 'String',
    description: 'Category of the report asked about (SOC, ISO, PCI, ...).',
  },
  {
    name: 'portal:ReportSeries',
    type: 'String',
    description: 'Series of the report asked about (e.g. SOC 2 Type II).',
  },
  { name: 'portal:AccountId', type: 'String', description: 'The member account the request is about.' },
  { name: 'portal:PrincipalAccount', type: 'String', description: "The caller's own member account." },
  { name: 'portal:AgreementType', type: 'String', description: 'Type of the agreement asked about (BAA, DPA, ...).' },
  {
    name: 'portal:AcceptanceScope',
    type: 'String',
    description: 'Scope of an agreement acceptance or termination: account or organization.',
  },
  {
    name: 'portal:RequestedAccounts',
    type: 'String',
    multiValued: true,
    description: 'The accounts an evidence bundle or report export covers.',
  },
  { name: 'aws:MultiFactorAuthPresent', type: 'Bool', description: 'The session passed MFA.' },
  { name: 'aws:CurrentTime', type: 'Date', description: 'Time of the request (ISO 8601).' },
  {
    name: 'aws:EpochTime',
    type: 'Numeric',
    description: 'Time of the request in epoch seconds (Date operators accept it too).',
  },
  {
    name: 'aws:PrincipalArn',
    type: 'Arn',
    description: 'ARN of the caller: its user, or the role of an assumed-role session.',
  },
  { name: 'aws:username', type: 'String', description: "The caller's email." },
  { name: 'aws:userid', type: 'String', description: "The caller's user id." },
  {
    name: 'aws:PrincipalTag/',
    type: 'String',
    description: 'A tag on the caller, named after the slash (`aws:PrincipalTag/team`).',
  },
  {
    name: 'aws:ResourceTag/',
    type: 'String',
    description:
      "A tag the caller's organization set on the resource, named after the slash (tag operations only, not report reads).",
  },
  {
    name: 'aws:RequestTag/',
    type: 'String',
    description: 'A tag a TagResource request sets, named after the slash (`aws:RequestTag/owner`).',
  },
  {
    name: 'aws:TagKeys',
    type: 'String',
    multiValued: true,
    description: 'The tag keys a TagResource or UntagResource request names.',
  },
];

/** Key families: the prefix names a family, the rest (after the slash) a tag key. */
const TAG_PREFIXES = ['aws:principaltag/', 'aws:resourcetag/', 'aws:requesttag/'];
const byLowerName = new Map(conditionKeyCatalog.map((key) => [key.name.toLowerCase(), key]));

/** The definition of a key named in a policy, or `undefined` when the key is unknown. */
export function findConditionKey(name: string): ConditionKeyDefinition | undefined {
  const lower = portalConditionKeyOf(name).toLowerCase();
  const prefix = TAG_PREFIXES.find((candidate) => lower.startsWith(candidate));
  if (prefix !== undefined) {
    return /^[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u.test(name.slice(prefix.length)) ? byLowerName.get(prefix) : undefined;
  }
  return byLowerName.get(lower);
}

/** Key names to suggest for a typo (a tag prefix is a family, not a key). */
export const suggestableConditionKeys: readonly string[] = conditionKeyCatalog.map((key) =>
  key.name.endsWith('/') ? `${key.name}<key>` : key.name,
);
