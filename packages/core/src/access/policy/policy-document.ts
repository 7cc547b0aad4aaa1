/** A value a condition compares against: one or several (several = OR). */
export type ConditionValue = string | number | boolean | Array<string | number | boolean>;

/** `{ "StringEquals": { "portal:ReportCategory": ["SOC", "ISO"] } }`: operators AND keys AND, values OR. */
export type ConditionBlock = Record<string, Record<string, ConditionValue>>;

/** One IAM-style statement. Exactly one of Action/NotAction and one of Resource/NotResource. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Id?: string;
  Statement: PolicyStatement[];
}

/** A document under the name the decision reports it by (a managed policy's, a guardrail's, ...). */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}
