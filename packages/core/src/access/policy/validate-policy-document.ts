import type { FieldError } from '../../errors.js';
import { isArtifactActionPattern } from './artifact-vocabulary.js';
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
import type { ConditionBlock, PolicyDocument, PolicyStatement } from './policy-document.js';
import { variableProblems, withPlaceholders } from './policy-variables.js';
import { portalActions } from './portal-actions.js';
import { describeArnPatternProblem } from './portal-arn.js';
import { hasWildcard, wildcardMatch } from './wildcard-match.js';

export type PolicyValidationResult = { ok: true; document: PolicyDocument } | { ok: false; errors: FieldError[] };

/** Bounds that keep a hostile document cheap to check and to evaluate. */
export const policyLimits = { statements: 100, listEntries: 200, textLength: 2048, documentChars: 20_480 } as const;

const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const lowerActions = new Map(portalActions.map((action) => [action.toLowerCase(), action]));

type Plain = Record<string, unknown>;
const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Collector {
  readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}

function unknownKeys(value: Plain, allowed: readonly string[], path: string, out: Collector): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const at = path === '' ? key : `${path}.${key}`;
    if (key === 'Principal' || key === 'NotPrincipal') {
      out.add(at, `${key} does not belong here: an identity policy or guardrail applies to whoever holds it`);
    } else {
      out.add(at, `unknown key "${key}"${didYouMean(key, allowed)}`);
    }
  }
}

/**
 * A string or a non-empty list of strings; calls `each` with every entry's own path
 * (`Statement[0].Action` for a single string, `Statement[0].Action[1]` in a list).
 */
function stringList(
  value: unknown,
  path: string,
  out: Collector,
  each: (text: string, path: string) => void,
): string | string[] | undefined {
  if (typeof value === 'string') {
    if (checkText(value, path, out)) each(value, path);
    return value;
  }
  if (!Array.isArray(value)) {
    out.add(path, 'must be a string or a list of strings');
    return undefined;
  }
  if (value.length === 0) out.add(path, 'must not be empty');
  if (value.length > policyLimits.listEntries) out.add(path, `at most ${policyLimits.listEntries} entries`);
  value.slice(0, policyLimits.listEntries).forEach((entry, index) => {
    const at = `${path}[${index}]`;
    if (typeof entry !== 'string') out.add(at, 'must be a string');
    else if (checkText(entry, at, out)) each(entry, at);
  });
  return value as string[];
}

function checkText(text: string, path: string, out: Collector): boolean {
  if (text.length === 0) out.add(path, 'must not be empty');
  else if (text.length > policyLimits.textLength) out.add(path, `at most ${policyLimits.textLength} characters`);
  else return true;
  return false;
}

function checkAction(action: string, path: string, out: Collector): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) {
    out.add(
      path,
      `"${action}" is not an action: write service:Action, e.g. portal:GetReport${didYouMean(`portal:${action}`, portalActions)}`,
    );
    return;
  }
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (service.toLowerCase() === 'artifact') {
    if (!isArtifactActionPattern(action)) out.add(path, `"${action}" matches no AWS Artifact action the portal maps`);
    return;
  }
  if (
    service.toLowerCase() !== 'portal' &&
    !(hasWildcard(service) && wildcardMatch(service, 'portal', { caseInsensitive: true }))
  ) {
    out.add(path, `unknown service "${service}" in "${action}": portal actions are named portal:<Action>`);
    return;
  }
  if (!/^[A-Za-z*?]+$/.test(name)) {
    out.add(path, `"${action}" is not a valid action name${didYouMean(action, portalActions)}`);
    return;
  }
  if (hasWildcard(action)) {
    if (!portalActions.some((known) => wildcardMatch(action, known, { caseInsensitive: true }))) {
      out.add(path, `"${action}" matches no portal action`);
    }
    return;
  }
  if (!lowerActions.has(action.toLowerCase())) {
    out.add(path, `unknown action "${action}"${didYouMean(action, portalActions)}`);
  }
}

function checkResource(resource: string, path: string, out: Collector): void {
  const problems = variableProblems(resource);
  for (const problem of problems) out.add(path, problem);
  if (problems.length > 0) return;
  // A variable may stand anywhere a wildcard may, so check the shape with one in its place.
  const problem = describeArnPatternProblem(withPlaceholders(resource, '*'));
  if (problem !== undefined) out.add(path, problem);
}

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

function checkCondition(value: unknown, path: string, out: Collector): ConditionBlock | undefined {
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

function checkStatement(
  value: unknown,
  path: string,
  out: Collector,
  sids: Map<string, string>,
): PolicyStatement | undefined {
  if (!isPlainObject(value)) {
    out.add(path, 'must be an object with Effect, Action and Resource');
    return undefined;
  }
  unknownKeys(value, STATEMENT_KEYS, path, out);
  const statement: Partial<PolicyStatement> = {};

  if (value.Sid !== undefined) {
    if (typeof value.Sid !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(value.Sid)) {
      out.add(`${path}.Sid`, 'must be letters and digits only (at most 128)');
    } else {
      const earlier = sids.get(value.Sid);
      if (earlier !== undefined) out.add(`${path}.Sid`, `duplicate Sid "${value.Sid}" (also ${earlier})`);
      else sids.set(value.Sid, path);
      statement.Sid = value.Sid;
    }
  }

  if (value.Effect === 'Allow' || value.Effect === 'Deny') statement.Effect = value.Effect;
  else if (value.Effect === undefined) out.add(`${path}.Effect`, 'is required: "Allow" or "Deny"');
  else {
    const hint = typeof value.Effect === 'string' ? didYouMean(value.Effect, ['Allow', 'Deny']) : '';
    out.add(`${path}.Effect`, `must be "Allow" or "Deny"${hint}`);
  }

  const pair = (positive: 'Action' | 'Resource', negative: 'NotAction' | 'NotResource', check: typeof checkAction) => {
    const has = value[positive] !== undefined;
    const hasNot = value[negative] !== undefined;
    if (has && hasNot) out.add(path, `use either ${positive} or ${negative}, not both`);
    else if (!has && !hasNot) out.add(`${path}.${positive}`, `is required (or ${negative})`);
    else {
      const key = has ? positive : negative;
      const list = stringList(value[key], `${path}.${key}`, out, (text, at) => check(text, at, out));
      if (list !== undefined) statement[key] = list;
    }
  };
  pair('Action', 'NotAction', checkAction);
  pair('Resource', 'NotResource', checkResource);

  if (value.Condition !== undefined) {
    const condition = checkCondition(value.Condition, `${path}.Condition`, out);
    if (condition !== undefined) statement.Condition = condition;
  }
  return statement as PolicyStatement;
}

/**
 * Checks a policy document as it is saved: every problem is reported once, with a path a client can
 * point at (`Statement[0].Action[1]`). Accepts the document or its JSON text.
 */
export function validatePolicyDocument(input: unknown): PolicyValidationResult {
  const out = new Collector();
  let value = input;
  if (typeof input === 'string') {
    if (input.length > policyLimits.documentChars) {
      return { ok: false, errors: [{ path: '', message: `at most ${policyLimits.documentChars} characters` }] };
    }
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, errors: [{ path: '', message: 'is not valid JSON' }] };
    }
  }
  if (!isPlainObject(value)) {
    return {
      ok: false,
      errors: [{ path: '', message: 'must be a policy document: {"Version": "2012-10-17", "Statement": [...]}' }],
    };
  }
  if (typeof input !== 'string') {
    let size: number;
    try {
      size = JSON.stringify(value).length;
    } catch {
      // Cycles and bigints: nothing a JSON body can carry, so nothing a policy can be.
      return { ok: false, errors: [{ path: '', message: 'must be plain JSON' }] };
    }
    if (size > policyLimits.documentChars) {
      return { ok: false, errors: [{ path: '', message: `at most ${policyLimits.documentChars} characters` }] };
    }
  }
  unknownKeys(value, DOCUMENT_KEYS, '', out);

  if (value.Version === undefined) out.add('Version', 'is required: "2012-10-17"');
  else if (value.Version !== '2012-10-17') out.add('Version', 'must be "2012-10-17"');
  if (value.Id !== undefined && (typeof value.Id !== 'string' || !checkText(value.Id, 'Id', out))) {
    if (typeof value.Id !== 'string') out.add('Id', 'must be a string');
  }

  const statements: PolicyStatement[] = [];
  if (value.Statement === undefined) out.add('Statement', 'is required: a list of statements');
  else if (!Array.isArray(value.Statement)) {
    out.add(
      'Statement',
      isPlainObject(value.Statement) ? 'must be a list: wrap the statement in [ ]' : 'must be a list of statements',
    );
  } else if (value.Statement.length === 0) out.add('Statement', 'must contain at least one statement');
  else if (value.Statement.length > policyLimits.statements)
    out.add('Statement', `at most ${policyLimits.statements} statements`);
  else {
    const sids = new Map<string, string>();
    value.Statement.forEach((entry, index) => {
      const statement = checkStatement(entry, `Statement[${index}]`, out, sids);
      if (statement !== undefined) statements.push(statement);
    });
  }

  if (out.errors.length > 0) return { ok: false, errors: out.errors };
  return {
    ok: true,
    document: {
      Version: '2012-10-17',
      ...(typeof value.Id === 'string' ? { Id: value.Id } : {}),
      // A clean copy: nothing but the checked fields reaches storage.
      Statement: structuredClone(statements),
    },
  };
}
