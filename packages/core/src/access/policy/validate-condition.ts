import { closestName, didYouMean } from './closest-name.js';
import { findConditionKey, suggestableConditionKeys } from './condition-keys.js';
import {
  conditionOperatorNames,
  familyAcceptsKey,
  parseOperator,
  toBool,
  toInstant,
  toNumber,
} from './condition-operators.js';
import type { ConditionBlock } from './policy-document.js';
import { variableProblems } from './policy-variables.js';
import { checkResource } from './validate-action-resource.js';
import { type Collector, checkText, isPlainObject, policyLimits } from './validation-collector.js';

/** How a statement's Condition block is checked: known operators, keys of a type the operator compares, values. */

function operatorSuggestion(name: string): string {
  const qualifier = /^(ForAnyValue|ForAllValues):/.exec(name)?.[0] ?? '';
  const rest = name.slice(qualifier.length);
  const qualifierHint =
    qualifier === '' && /^for(any|all)/i.test(rest) ? ' (set qualifiers are ForAnyValue: and ForAllValues:)' : '';
  const suggestion = closestName(rest, conditionOperatorNames);
  return suggestion === undefined || parseOperator(`${qualifier}${suggestion}`) === undefined
    ? qualifierHint
    : `; did you mean ${qualifier}${suggestion}?`;
}

function checkConditionValue(family: string, value: unknown, path: string, out: Collector): void {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    out.add(path, 'must be a string, number or boolean');
    return;
  }
  if (typeof value === 'string' && !checkText(value, path, out)) return;
  switch (family) {
    case 'Numeric':
      if (toNumber(value) === undefined) out.add(path, `"${value}" is not a number`);
      return;
    case 'Date':
      if (toInstant(value) === undefined) out.add(path, `"${value}" is not a date: use ISO 8601 or epoch seconds`);
      return;
    case 'Bool':
    case 'Null':
      if (toBool(value) === undefined) out.add(path, `"${value}" is not true or false`);
      return;
    case 'Arn':
      if (typeof value !== 'string') out.add(path, 'must be an ARN');
      else checkResource(value, path, out);
      return;
    default:
      for (const problem of typeof value === 'string' ? variableProblems(value) : []) out.add(path, problem);
  }
}

export function checkCondition(value: unknown, path: string, out: Collector): ConditionBlock | undefined {
  if (!isPlainObject(value)) {
    out.add(path, 'must be an object of condition operators, e.g. {"StringEquals": {"portal:ReportCategory": "SOC"}}');
    return undefined;
  }
  if (Object.keys(value).length === 0) out.add(path, 'must name at least one condition operator');
  for (const [operatorName, entries] of Object.entries(value)) {
    const at = `${path}.${operatorName}`;
    const operator = parseOperator(operatorName);
    if (operator === undefined) {
      out.add(at, `unknown condition operator "${operatorName}"${operatorSuggestion(operatorName)}`);
      continue;
    }
    if (!isPlainObject(entries) || Object.keys(entries).length === 0) {
      out.add(at, 'must be a non-empty object of condition keys to values');
      continue;
    }
    for (const [keyName, keyValue] of Object.entries(entries)) {
      const keyPath = `${at}.${keyName}`;
      const key = findConditionKey(keyName);
      if (key === undefined) {
        out.add(keyPath, `unknown condition key "${keyName}"${didYouMean(keyName, suggestableConditionKeys)}`);
        continue;
      }
      if (!familyAcceptsKey(operator.definition.family, key.type)) {
        out.add(keyPath, `${operator.base} cannot compare ${keyName}, a ${key.type} key`);
        continue;
      }
      if (Array.isArray(keyValue)) {
        if (keyValue.length === 0) out.add(keyPath, 'must not be an empty list');
        if (keyValue.length > policyLimits.listEntries) out.add(keyPath, `at most ${policyLimits.listEntries} values`);
        keyValue.slice(0, policyLimits.listEntries).forEach((entry, index) => {
          checkConditionValue(operator.definition.family, entry, `${keyPath}[${index}]`, out);
        });
      } else {
        checkConditionValue(operator.definition.family, keyValue, keyPath, out);
      }
    }
  }
  return value as ConditionBlock;
}
