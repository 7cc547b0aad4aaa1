/**
 * The least-privilege guard: finds IAM grants that use a wildcard on a data service. A finding is
 * - an action "*" or any DynamoDB/KMS/S3 action containing "*" (dynamodb:*, kms:*, s3:Get*), or
 * - a DynamoDB/KMS/S3 action on Resource "*", or
 * - NotAction / NotResource in an Allow statement (an allow-list turned inside out).
 * It reads CloudFormation template JSON, so a test can run it on a mutated copy.
 */
export const DATA_SERVICES = ['dynamodb', 'kms', 's3'] as const;

export interface WildcardGrant {
  resource: string;
  sid?: string;
  problem: string;
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const serviceOf = (action: string) => action.split(':')[0]?.toLowerCase() ?? '';
const isDataService = (action: string) => (DATA_SERVICES as readonly string[]).includes(serviceOf(action));

function policyDocuments(resource: { Type?: string; Properties?: Record<string, unknown> }): unknown[] {
  const props = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [props.PolicyDocument];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return asList(props.Policies).map((policy) => (policy as { PolicyDocument?: unknown }).PolicyDocument);
    default:
      return [];
  }
}

export function findWildcardGrants(template: { Resources?: Record<string, unknown> }): WildcardGrant[] {
  const findings: WildcardGrant[] = [];
  for (const [logicalId, raw] of Object.entries(template.Resources ?? {})) {
    for (const document of policyDocuments(raw as { Type?: string; Properties?: Record<string, unknown> })) {
      for (const statement of asList((document as { Statement?: unknown } | undefined)?.Statement) as Statement[]) {
        if (statement.Effect !== 'Allow') continue;
        const report = (problem: string) => findings.push({ resource: logicalId, sid: statement.Sid, problem });
        if (statement.NotAction !== undefined) report('Allow with NotAction');
        if (statement.NotResource !== undefined) report('Allow with NotResource');
        const actions = asList(statement.Action).filter((action): action is string => typeof action === 'string');
        for (const action of actions) {
          if (action === '*') report('action "*"');
          else if (isDataService(action) && action.includes('*')) report(`wildcard action ${action}`);
        }
        const dataActions = actions.filter((action) => action === '*' || isDataService(action));
        if (dataActions.length > 0 && asList(statement.Resource).includes('*'))
          report(`${dataActions.join(', ')} on Resource "*"`);
      }
    }
  }
  return findings;
}
