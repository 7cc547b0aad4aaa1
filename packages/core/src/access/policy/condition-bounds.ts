import { portalConditionKeyOf } from './artifact-vocabulary.js';
import { parseOperator } from './condition-operators.js';
import { statementCoversAction } from './evaluate-policies.js';
import type { NamedPolicy, PolicyStatement } from './policy-document.js';

/**
 * For each of `keys` (single-valued condition keys a request always carries, such as a report's
 * `portal:ReportCategory`), the values outside of which no identity statement could allow `action`:
 * a necessary condition for Allow, never a sufficient one (resources, other conditions, Deny and
 * guardrails are still evaluated per request). A listing uses it to query only the partitions the
 * caller could be shown instead of asking about every item.
 *
 * A key is bounded when every Allow statement covering the action restricts it with an unqualified
 * `StringEquals` (or `StringEqualsIfExists`: the key is always present) of literal values; the
 * statement's bound is what all its restrictions of that key let through. One covering statement
 * that does not restrict a key leaves it unbounded (absent from the answer). With no covering Allow
 * statement at all, every key is bounded by the empty set: nothing can be allowed.
 */
export function conditionBounds(
  identityPolicies: readonly NamedPolicy[],
  action: string,
  keys: readonly string[],
): Map<string, ReadonlySet<string>> {
  const allows = identityPolicies
    .flatMap((policy) => policy.document.Statement)
    .filter((statement) => statement.Effect === 'Allow' && statementCoversAction(statement, action));
  const bounds = new Map<string, ReadonlySet<string>>();
  for (const key of keys) {
    const union = new Set<string>();
    let bounded = true;
    for (const statement of allows) {
      const values = statementBound(statement, key);
      if (values === undefined) {
        bounded = false;
        break;
      }
      for (const value of values) union.add(value);
    }
    if (bounded) bounds.set(key, union);
  }
  return bounds;
}

/** The values a statement lets `key` take, or undefined when it does not restrict the key to literals. */
function statementBound(statement: PolicyStatement, key: string): ReadonlySet<string> | undefined {
  const wanted = key.toLowerCase();
  let bound: Set<string> | undefined;
  for (const [operatorName, entries] of Object.entries(statement.Condition ?? {})) {
    const operator = parseOperator(operatorName);
    if (operator === undefined || operator.qualifier !== undefined || operator.base !== 'StringEquals') continue;
    for (const [name, value] of Object.entries(entries)) {
      if (portalConditionKeyOf(name).toLowerCase() !== wanted) continue;
      const listed = (Array.isArray(value) ? value : [value]).map(String);
      // A policy variable (or an escape such as `${*}`) stands for something only the request knows.
      if (listed.some((text) => text.includes('${'))) continue;
      const values = new Set(listed);
      bound = bound === undefined ? values : new Set([...bound].filter((text) => values.has(text)));
    }
  }
  return bound;
}
