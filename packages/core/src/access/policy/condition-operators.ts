import type { RequestContext } from '../principal.js';
import type { ConditionKeyType } from './condition-keys.js';
import type { ConditionBlock, ConditionValue } from './policy-document.js';
import { expandToGlob, expandToText, hasUnresolvedVariable, type VariableLookup } from './policy-variables.js';
import { matchArnTokens, matchGlobTokens } from './wildcard-match.js';

/**
 * IAM condition operators. Within one key, several policy values OR; several keys and several
 * operators AND. A key missing from the request fails positive operators and passes negated ones
 * (`StringNotEquals`), as in IAM; `...IfExists` passes when the key is missing; `Null` tests presence.
 * `ForAnyValue:` / `ForAllValues:` compare multi-valued keys (a missing or empty key: ForAnyValue
 * fails, ForAllValues passes, exactly IAM's much-warned-about behaviour).
 */
type Scalar = string | number | boolean;
type Family = 'String' | 'Arn' | 'Numeric' | 'Date' | 'Bool' | 'Null';

interface OperatorDefinition {
  family: Family;
  /** Negated operators pass when the request value matches none of the policy values. */
  negated: boolean;
  /** The positive comparison of one request value with one policy value. */
  test: (requestValue: Scalar, policyValue: Scalar, lookup: VariableLookup) => boolean;
}

const asText = (value: Scalar) => String(value);

function stringEquals(request: Scalar, policy: Scalar, lookup: VariableLookup, ignoreCase: boolean): boolean {
  const expected = expandToText(asText(policy), lookup);
  if (expected === undefined) return false;
  return ignoreCase ? asText(request).toLowerCase() === expected.toLowerCase() : asText(request) === expected;
}

function like(request: Scalar, policy: Scalar, lookup: VariableLookup): boolean {
  const tokens = expandToGlob(asText(policy), lookup);
  return tokens !== undefined && matchGlobTokens(tokens, asText(request), false);
}

/** ArnLike/ArnEquals compare ARN components separately: a wildcard never spans a `:` between them. */
function arnLike(request: Scalar, policy: Scalar, lookup: VariableLookup): boolean {
  const tokens = expandToGlob(asText(policy), lookup);
  return tokens !== undefined && matchArnTokens(tokens, asText(request));
}

export function toNumber(value: Scalar): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Milliseconds since the epoch from ISO 8601 text or epoch seconds (number or digits). */
export function toInstant(value: Scalar): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const seconds = Number(value);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toBool(value: Scalar): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const lower = String(value).toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function compareBy(parse: (value: Scalar) => number | undefined, ok: (request: number, policy: number) => boolean) {
  return (request: Scalar, policy: Scalar) => {
    const r = parse(request);
    const p = parse(policy);
    return r !== undefined && p !== undefined && ok(r, p);
  };
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const sameBool = (request: Scalar, policy: Scalar) => {
  const r = toBool(request);
  return r !== undefined && r === toBool(policy);
};

export const conditionOperators: Record<string, OperatorDefinition> = {
  StringEquals: { family: 'String', negated: false, test: (r, p, l) => stringEquals(r, p, l, false) },
  StringNotEquals: { family: 'String', negated: true, test: (r, p, l) => stringEquals(r, p, l, false) },
  StringEqualsIgnoreCase: { family: 'String', negated: false, test: (r, p, l) => stringEquals(r, p, l, true) },
  StringNotEqualsIgnoreCase: { family: 'String', negated: true, test: (r, p, l) => stringEquals(r, p, l, true) },
  StringLike: { family: 'String', negated: false, test: like },
  StringNotLike: { family: 'String', negated: true, test: like },
  NumericEquals: { family: 'Numeric', negated: false, test: compareBy(toNumber, eq) },
  NumericNotEquals: { family: 'Numeric', negated: true, test: compareBy(toNumber, eq) },
  NumericLessThan: { family: 'Numeric', negated: false, test: compareBy(toNumber, lt) },
  NumericLessThanEquals: { family: 'Numeric', negated: false, test: compareBy(toNumber, le) },
  NumericGreaterThan: { family: 'Numeric', negated: false, test: compareBy(toNumber, gt) },
  NumericGreaterThanEquals: { family: 'Numeric', negated: false, test: compareBy(toNumber, ge) },
  DateEquals: { family: 'Date', negated: false, test: compareBy(toInstant, eq) },
  DateNotEquals: { family: 'Date', negated: true, test: compareBy(toInstant, eq) },
  DateLessThan: { family: 'Date', negated: false, test: compareBy(toInstant, lt) },
  DateLessThanEquals: { family: 'Date', negated: false, test: compareBy(toInstant, le) },
  DateGreaterThan: { family: 'Date', negated: false, test: compareBy(toInstant, gt) },
  DateGreaterThanEquals: { family: 'Date', negated: false, test: compareBy(toInstant, ge) },
  Bool: { family: 'Bool', negated: false, test: sameBool },
  // ARNs compare case-sensitively, component by component, with wildcards; IAM's ArnEquals behaves as ArnLike.
  ArnEquals: { family: 'Arn', negated: false, test: arnLike },
  ArnLike: { family: 'Arn', negated: false, test: arnLike },
  ArnNotEquals: { family: 'Arn', negated: true, test: arnLike },
  ArnNotLike: { family: 'Arn', negated: true, test: arnLike },
  Null: { family: 'Null', negated: false, test: () => false },
};

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  qualifier?: SetQualifier;
  base: string;
  definition: OperatorDefinition;
  ifExists: boolean;
}

/** Splits `ForAllValues:StringLikeIfExists` into its parts; `undefined` for an unknown operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let qualifier: SetQualifier | undefined;
  // At most one qualifier: `ForAnyValue:ForAllValues:...` is not an operator.
  const candidate = (['ForAnyValue', 'ForAllValues'] as const).find((name) => rest.startsWith(`${name}:`));
  if (candidate !== undefined) {
    qualifier = candidate;
    rest = rest.slice(candidate.length + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const definition = Object.hasOwn(conditionOperators, base) ? conditionOperators[base] : undefined;
  if (definition === undefined) return undefined;
  // `NullIfExists` is meaningless and IAM rejects it; a set qualifier on Null too.
  if (definition.family === 'Null' && (ifExists || qualifier !== undefined)) return undefined;
  return { ...(qualifier ? { qualifier } : {}), base, definition, ifExists };
}

/** Every operator name validation accepts, for "did you mean". */
export const conditionOperatorNames: readonly string[] = Object.keys(conditionOperators).flatMap((base) =>
  base === 'Null' ? [base] : [base, `${base}IfExists`],
);

/** Which key types an operator family may compare. */
export function familyAcceptsKey(family: Family, keyType: ConditionKeyType): boolean {
  switch (family) {
    case 'Null':
      return true;
    case 'String':
      return keyType === 'String' || keyType === 'Arn';
    case 'Date':
      return keyType === 'Date' || keyType === 'Numeric';
    default:
      return family === keyType;
  }
}

function requestValues(value: RequestContext[string]): Scalar[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.length === 0 ? undefined : values;
}

export type ContextLookup = (key: string) => RequestContext[string];

/** One operator over one key. */
export function evaluateOperator(
  operator: ParsedOperator,
  key: string,
  policyValue: ConditionValue,
  context: ContextLookup,
  variables: VariableLookup,
): boolean {
  const listed = Array.isArray(policyValue) ? policyValue : [policyValue];
  const present = requestValues(context(key));
  const { definition, qualifier } = operator;
  // A policy value whose variable the request lacks is no value at all: it matches nothing, for negated
  // operators too (StringNotEquals "${aws:userid}" without a user id must not hold); with no value
  // left, the operator does not hold.
  const expected =
    definition.family === 'String' || definition.family === 'Arn'
      ? listed.filter((value) => typeof value !== 'string' || !hasUnresolvedVariable(value, variables))
      : listed;
  if (definition.family === 'Null') {
    // Several values for Null is odd but legal: any of them may hold.
    return expected.some((value) => toBool(value) === (present === undefined));
  }
  if (present === undefined) {
    if (qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    return operator.ifExists || definition.negated;
  }
  if (expected.length === 0) return false;
  const matchesOne = (value: Scalar) => {
    const any = expected.some((policy) => definition.test(value, policy, variables));
    return definition.negated ? !any : any;
  };
  if (qualifier === 'ForAllValues') return present.every(matchesOne);
  if (qualifier === 'ForAnyValue') return present.some(matchesOne);
  // Unqualified over a multi-valued key: positive operators need one match, negated ones none.
  return definition.negated ? present.every(matchesOne) : present.some(matchesOne);
}

/** A statement's whole Condition block: every operator and every key must hold. */
export function evaluateConditionBlock(
  block: ConditionBlock | undefined,
  context: ContextLookup,
  variables: VariableLookup,
): boolean {
  if (block === undefined) return true;
  for (const [operatorName, entries] of Object.entries(block)) {
    const operator = parseOperator(operatorName);
    // An operator we cannot read never grants: unknown means the statement does not apply.
    if (operator === undefined) return false;
    for (const [key, value] of Object.entries(entries)) {
      if (!evaluateOperator(operator, key, value, context, variables)) return false;
    }
  }
  return true;
}
