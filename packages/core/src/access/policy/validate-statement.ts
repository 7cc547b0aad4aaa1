import { didYouMean } from './closest-name.js';
import type { PolicyStatement } from './policy-document.js';
import { checkAction, checkResource } from './validate-action-resource.js';
import { checkCondition } from './validate-condition.js';
import { type Collector, isPlainObject, stringList, unknownKeys } from './validation-collector.js';

const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

export function checkStatement(
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
