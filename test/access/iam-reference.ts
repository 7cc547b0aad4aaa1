/**
 * A second, independent evaluator of identity policies, written from the AWS IAM documentation
 * ("Policy evaluation logic", "IAM JSON policy elements: Resource / Condition operators", "Policy
 * variables") for the differential test of the portal's evaluator. Deliberately a different technique:
 * wildcards become anchored regular expressions, ARNs are compared as split components, and policy
 * variables are substituted into text first. It covers the subset the property test generates:
 * Action/NotAction, Resource/NotResource, String*, Arn*, Bool and Null operators with IfExists, single-valued
 * keys, `${key}` and `${key, 'default'}` variables. Not a production evaluator (regexes on input are fine here).
 */
export type RefValue = string | boolean;
export type RefContext = Record<string, RefValue | undefined>;
export interface RefStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "*" = any sequence, "?" = any one character (IAM), within one string. */
function globRegex(pattern: string, flags = ''): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : escapeRegex(ch);
  return new RegExp(`^${source}$`, flags);
}

/** Substitutes `${key}` / `${key, 'default'}`; undefined when a variable has no value and no default. */
function substitute(text: string, context: RefContext): string | undefined {
  let failed = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return `\u0000${inner}`;
    const [, key, fallback] = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner) ?? [];
    const value = key === undefined ? undefined : lookup(context, key);
    if (typeof value === 'string') return value.replace(/[*?]/g, (c) => `\u0000${c}`);
    if (fallback !== undefined) return fallback.replace(/[*?]/g, (c) => `\u0000${c}`);
    failed = true;
    return '';
  });
  return failed ? undefined : out;
}

/** A substituted pattern as a regex where `\0*` / `\0?` are literal characters. */
function patternRegex(substituted: string): RegExp {
  let source = '';
  for (let i = 0; i < substituted.length; i++) {
    const ch = substituted[i] as string;
    if (ch === '\u0000') {
      source += escapeRegex(substituted[++i] ?? '');
      continue;
    }
    source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : escapeRegex(ch);
  }
  return new RegExp(`^${source}$`);
}

/** IAM compares ARNs component by component; the pattern's last component takes the rest of the value. */
function arnMatches(substituted: string, value: string): boolean {
  const pattern = substituted.split(':');
  const parts = value.split(':');
  if (parts.length < pattern.length) return false;
  const last = pattern.length - 1;
  return pattern.every((component, i) =>
    patternRegex(component).test(i === last ? parts.slice(last).join(':') : (parts[i] as string)),
  );
}

function lookup(context: RefContext, key: string): RefValue | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : context[found];
}

function conditionHolds(operator: string, key: string, values: string[], context: RefContext): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const present = lookup(context, key);
  if (base === 'Null')
    return values.some((v) => (v === 'true' || v === 'false') && (v === 'true') === (present === undefined));
  const negated = base.includes('Not');
  if (present === undefined) return ifExists || negated;
  const request = String(present);
  // Bool compares true/false only: a value that is neither (which the validator refuses on save) never matches,
  // even when the request carries the same string.
  if (base === 'Bool') return values.some((v) => (v === 'true' || v === 'false') && v === request);
  const resolved = values.map((v) => substitute(v, context)).filter((v): v is string => v !== undefined);
  if (resolved.length === 0) return false;
  const match = (v: string) => {
    switch (base.replace('Not', '')) {
      case 'StringEquals':
        return v.replaceAll('\u0000', '') === request;
      case 'StringEqualsIgnoreCase':
        return v.replaceAll('\u0000', '').toLowerCase() === request.toLowerCase();
      case 'StringLike':
        return patternRegex(v).test(request);
      default:
        return arnMatches(v, request);
    }
  };
  const any = resolved.some(match);
  return negated ? !any : any;
}

function applies(statement: RefStatement, action: string, resource: string, context: RefContext): boolean {
  const actionIn = (list: string[]) => list.some((p) => globRegex(p, 'i').test(action));
  if (statement.Action ? !actionIn(statement.Action) : actionIn(statement.NotAction ?? [])) return false;
  const resourceIn = (list: string[]) =>
    list.some((p) => {
      const substituted = substitute(p, context);
      if (substituted === undefined) return false;
      // The resource "*" is asked literally: only the pattern "*" names it.
      if (resource === '*') return substituted === '*';
      return arnMatches(substituted, resource);
    });
  if (statement.Resource ? !resourceIn(statement.Resource) : resourceIn(statement.NotResource ?? [])) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, key, values, context)),
  );
}

/** Explicit deny wins, then an allow, else the implicit deny (no guardrails: identity policies only). */
export function referenceDecision(
  statements: RefStatement[],
  action: string,
  resource: string,
  context: RefContext,
): 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' {
  const applicable = statements.filter((s) => applies(s, action, resource, context));
  if (applicable.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return applicable.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
}
