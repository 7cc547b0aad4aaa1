import type { FieldError } from '../../errors.js';
import { didYouMean } from './closest-name.js';

/** The shared pieces of policy validation: limits, the error collector, keys, strings and lists. */

/** Bounds that keep a hostile document cheap to check and to evaluate. */
export const policyLimits = { statements: 100, listEntries: 200, textLength: 2048, documentChars: 20_480 } as const;

export type Plain = Record<string, unknown>;
export const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class Collector {
  readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}

export function unknownKeys(value: Plain, allowed: readonly string[], path: string, out: Collector): void {
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
export function stringList(
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

export function checkText(text: string, path: string, out: Collector): boolean {
  if (text.length === 0) out.add(path, 'must not be empty');
  else if (text.length > policyLimits.textLength) out.add(path, `at most ${policyLimits.textLength} characters`);
  else return true;
  return false;
}
