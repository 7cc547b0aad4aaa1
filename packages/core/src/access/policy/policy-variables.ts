import { findConditionKey } from './condition-keys.js';
import { ANY_ONE, ANY_RUN, compiledGlob, type GlobToken } from './wildcard-match.js';

/**
 * IAM policy variables in resources and string/ARN condition values:
 * `arn:portal:o-1:${portal:PrincipalAccount}:*`. A variable's value is literal text (a `*` in it is
 * not a wildcard); `${*}`, `${?}` and `${$}` write those characters literally.
 */
export type TemplatePart = { kind: 'pattern'; text: string } | { kind: 'variable'; key: string; fallback?: string };

/** `${aws:username, 'nobody'}`: IAM's default value for a variable the request lacks. */
const withDefault = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/** A Map, not an object: `${constructor}` or `${__proto__}` must not find Object.prototype's members. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    const end = start < 0 ? -1 : rest.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      parts.push({ kind: 'pattern', text: rest });
      break;
    }
    if (start > 0) parts.push({ kind: 'pattern', text: rest.slice(0, start) });
    const inner = rest.slice(start + 2, end);
    const defaulted = withDefault.exec(inner);
    parts.push(
      defaulted
        ? { kind: 'variable', key: defaulted[1] ?? '', fallback: defaulted[2] ?? '' }
        : { kind: 'variable', key: inner },
    );
    rest = rest.slice(end + 1);
  }
  return parts;
}

/** Why a template's variables are unusable, one message per bad variable. */
export function variableProblems(text: string): string[] {
  return parseTemplate(text).flatMap((part) => {
    if (part.kind !== 'variable' || ESCAPES.has(part.key)) return [];
    const key = findConditionKey(part.key);
    if (key === undefined) return [`unknown policy variable \${${part.key}}`];
    if (key.multiValued || (key.type !== 'String' && key.type !== 'Arn')) {
      return [`policy variable \${${part.key}} is not a single text value`];
    }
    return [];
  });
}

/** The template with variables replaced by a placeholder, for checking the shape around them. */
export function withPlaceholders(text: string, placeholder: string): string {
  return parseTemplate(text)
    .map((part) => (part.kind === 'pattern' ? part.text : (ESCAPES.get(part.key) ?? placeholder)))
    .join('');
}

export type VariableLookup = (key: string) => string | undefined;

/** Compiles a template to glob tokens; `undefined` when a variable has no value in this request. */
export function expandToGlob(text: string, lookup: VariableLookup): readonly GlobToken[] | undefined {
  // Most patterns name no variable: compiled once (wildcard-match.ts).
  if (!text.includes('${')) return compiledGlob(text);
  const tokens: GlobToken[] = [];
  for (const part of parseTemplate(text)) {
    if (part.kind === 'pattern') {
      for (const ch of part.text) tokens.push(ch === '*' ? ANY_RUN : ch === '?' ? ANY_ONE : ch);
      continue;
    }
    const value = ESCAPES.get(part.key) ?? lookup(part.key) ?? part.fallback;
    if (value === undefined) return undefined;
    tokens.push(...Array.from(value));
  }
  return tokens;
}

/** Expands a template to plain text (for StringEquals and friends); `undefined` when a variable is missing. */
export function expandToText(text: string, lookup: VariableLookup): string | undefined {
  if (!text.includes('${')) return text;
  let out = '';
  for (const part of parseTemplate(text)) {
    if (part.kind === 'pattern') {
      out += part.text;
      continue;
    }
    const value = ESCAPES.get(part.key) ?? lookup(part.key) ?? part.fallback;
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

/** Does the template use a variable with no value (and no default) in this request? */
export function hasUnresolvedVariable(text: string, lookup: VariableLookup): boolean {
  return parseTemplate(text).some(
    (part) =>
      part.kind === 'variable' &&
      ESCAPES.get(part.key) === undefined &&
      lookup(part.key) === undefined &&
      part.fallback === undefined,
  );
}
