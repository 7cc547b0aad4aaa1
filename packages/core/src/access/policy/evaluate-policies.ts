import type { AuthorizationDecision, RequestContext } from '../principal.js';
import type { RequestContextIndex } from '../request-context.js';
import { artifactAliasesOf, portalConditionKeyOf } from './artifact-vocabulary.js';
import { type ContextLookup, evaluateConditionBlock } from './condition-operators.js';
import type { NamedPolicy, PolicyStatement } from './policy-document.js';
import { expandToGlob, type VariableLookup } from './policy-variables.js';
import { matchArnTokens, wildcardMatch } from './wildcard-match.js';

export interface PolicyEvaluationInput {
  /** A concrete action, e.g. `portal:GetReport`. */
  action: string;
  /** The resource ARN asked about (or `*`, which only a `*` pattern matches). */
  resource: string;
  context: RequestContext;
  /** The same context, already indexed by case-folded key (request-context.ts); read instead of `context`. */
  contextIndex?: RequestContextIndex;
  /** Everything the principal holds: its own, its groups', or only its assumed role's. */
  identityPolicies: NamedPolicy[];
  /**
   * Guardrails on the path to the principal's account, one array per level: root, OU..., account.
   * EVERY level must allow: a level with no policies attached allows nothing (as an SCP-less node
   * would in AWS), so attach `FullAccessGuardrail` where a level should not restrict.
   */
  guardrails: NamedPolicy[][];
  /** False for management-account principals: guardrails do not bind them, as SCPs do not (docs/access-policies.md). */
  guardrailsApply: boolean;
  /** Optional names for the levels in reasons ("OU Healthcare"); by default root, OU level n, account. */
  guardrailLevelNames?: readonly string[];
}

type Match = AuthorizationDecision['matchedStatements'][number];

const asList = (value: string | string[] | undefined) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/**
 * Does a resource pattern list match? A pattern whose policy variable has no value in this request
 * matches nothing, as in IAM; the list's other patterns still count (one missing variable must not void
 * a Deny's whole list).
 */
function resourceMatches(patterns: string[], resource: string, variables: VariableLookup): boolean {
  return patterns.some((pattern) => {
    const tokens = expandToGlob(pattern, variables);
    return tokens !== undefined && matchArnTokens(tokens, resource);
  });
}

/**
 * Which actions a statement covers, remembered per statement: a request asks the same few actions of
 * the same cached policies again and again (a list asks once per item). Statements are never changed
 * after parsing, so an answer stays true for the statement object it was computed for.
 */
const coverage = new WeakMap<PolicyStatement, Map<string, boolean>>();

/** Does the statement's Action (or NotAction) cover the action? Patterns may name its Artifact aliases too. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  let known = coverage.get(statement);
  if (!known) {
    known = new Map();
    coverage.set(statement, known);
  }
  let covered = known.get(action);
  if (covered === undefined) {
    covered = coversAction(statement, action);
    if (known.size < 1000) known.set(action, covered);
  }
  return covered;
}

function coversAction(statement: PolicyStatement, action: string): boolean {
  const actions = asList(statement.Action);
  const notActions = asList(statement.NotAction);
  // A pattern may name the portal action itself or one of its Artifact aliases (artifact-vocabulary.ts).
  const names = [action, ...artifactAliasesOf(action)];
  const actionMatches = (patterns: string[]) =>
    patterns.some((pattern) => names.some((name) => wildcardMatch(pattern, name, { caseInsensitive: true })));
  return actions !== undefined ? actionMatches(actions) : notActions !== undefined && !actionMatches(notActions);
}

export function statementApplies(
  statement: PolicyStatement,
  action: string,
  resource: string,
  context: ContextLookup,
  variables: VariableLookup,
): boolean {
  if (!statementCoversAction(statement, action)) return false;
  const resources = asList(statement.Resource);
  const notResources = asList(statement.NotResource);
  if (resources !== undefined) {
    if (!resourceMatches(resources, resource, variables)) return false;
  } else if (notResources !== undefined) {
    if (resourceMatches(notResources, resource, variables)) return false;
  } else {
    return false;
  }
  return evaluateConditionBlock(statement.Condition, context, variables);
}

/**
 * Request context keys are case-insensitive; policy variables read single text values from it. The
 * case-folded index is built on the first lookup only: most statements ask no condition key at all.
 */
function contextLookups(
  context: RequestContext,
  index?: RequestContextIndex,
): { context: ContextLookup; variables: VariableLookup } {
  let byLowerKey: Map<string, RequestContext[string]> | undefined;
  const get = (key: string) => {
    if (index) return index(key.toLowerCase());
    if (!byLowerKey) {
      byLowerKey = new Map();
      for (const name of Object.keys(context)) byLowerKey.set(name.toLowerCase(), context[name]);
    }
    return byLowerKey.get(key.toLowerCase());
  };
  return {
    context: (key) => get(portalConditionKeyOf(key)),
    variables: (key) => {
      const value = get(key);
      return typeof value === 'string' ? value : undefined;
    },
  };
}

function describeStatement(match: Match, index: number): string {
  const statement = match.sid === undefined ? `statement #${index + 1}` : `statement ${match.sid}`;
  return `${statement} of ${match.source === 'guardrail' ? 'guardrail' : 'policy'} ${match.policy}`;
}

function levelName(input: PolicyEvaluationInput, level: number): string {
  const given = input.guardrailLevelNames?.[level];
  if (given !== undefined) return given;
  if (level === 0) return 'the root';
  if (level === input.guardrails.length - 1) return 'the account';
  return `OU level ${level}`;
}

/**
 * IAM's evaluation logic for one request: an explicit Deny anywhere (identity or an applicable
 * guardrail) wins; otherwise some identity statement must allow AND, when guardrails apply, some
 * statement at every guardrail level; anything else is an implicit deny.
 */
export function evaluatePolicies(input: PolicyEvaluationInput): AuthorizationDecision {
  const lookups = contextLookups(input.context, input.contextIndex);
  const denies: Array<{ match: Match; index: number }> = [];
  const allows: Match[] = [];

  const scan = (policies: NamedPolicy[], source: Match['source']): boolean => {
    let allowed = false;
    for (const policy of policies) {
      const statements = policy.document.Statement;
      for (let index = 0; index < statements.length; index++) {
        const statement = statements[index] as PolicyStatement;
        if (!statementApplies(statement, input.action, input.resource, lookups.context, lookups.variables)) continue;
        const match: Match = {
          policy: policy.name,
          ...(statement.Sid === undefined ? {} : { sid: statement.Sid }),
          effect: statement.Effect,
          source,
        };
        if (statement.Effect === 'Deny') {
          denies.push({ match, index });
        } else {
          allows.push(match);
          allowed = true;
        }
      }
    }
    return allowed;
  };

  const identityAllows = scan(input.identityPolicies, 'identity');
  const blockingLevels = input.guardrailsApply
    ? input.guardrails.flatMap((level, index) => (scan(level, 'guardrail') ? [] : [index]))
    : [];

  const [firstDeny] = denies;
  if (firstDeny !== undefined) {
    const more =
      denies.length > 1 ? ` (and ${denies.length - 1} more deny statement${denies.length > 2 ? 's' : ''})` : '';
    return {
      decision: 'ExplicitDeny',
      reason: `${input.action} on ${input.resource} denied by ${describeStatement(firstDeny.match, firstDeny.index)}${more}`,
      matchedStatements: denies.map((deny) => deny.match),
    };
  }
  const reasons: string[] = [];
  for (const level of blockingLevels) {
    const attached = input.guardrails[level] ?? [];
    const where = levelName(input, level);
    reasons.push(
      attached.length === 0
        ? `no guardrail is attached to ${where}, so nothing there allows ${input.action}`
        : `no guardrail on ${where} (${attached.map((policy) => policy.name).join(', ')}) allows ${input.action}`,
    );
  }
  if (!identityAllows) reasons.push(`no identity policy allows ${input.action} on ${input.resource}`);
  if (reasons.length > 0) return { decision: 'ImplicitDeny', reason: reasons.join('; '), matchedStatements: allows };

  const firstIdentityAllow = allows.find((match) => match.source === 'identity');
  const by = firstIdentityAllow?.sid === undefined ? '' : ` statement ${firstIdentityAllow.sid} of`;
  return {
    decision: 'Allow',
    reason: `${input.action} on ${input.resource} allowed by${by} policy ${firstIdentityAllow?.policy ?? ''}${
      input.guardrailsApply && input.guardrails.length > 0 ? ' within every guardrail on the path' : ''
    }`,
    matchedStatements: allows,
  };
}
