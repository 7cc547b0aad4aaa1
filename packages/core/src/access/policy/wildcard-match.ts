/**
 * IAM wildcard matching: `*` matches any run of characters (including none, and across `:` and `/`),
 * `?` exactly one; everything else is literal. No regular expressions, so a hostile pattern cannot
 * cause catastrophic backtracking: the greedy matcher below is O(pattern × value) in the worst case.
 */
export const ANY_RUN: unique symbol = Symbol('*');
export const ANY_ONE: unique symbol = Symbol('?');

/** A compiled pattern: literal characters and the two wildcards (policy variables expand to literals). */
export type GlobToken = string | typeof ANY_RUN | typeof ANY_ONE;

export function globTokens(pattern: string): GlobToken[] {
  return Array.from(pattern, (ch) => (ch === '*' ? ANY_RUN : ch === '?' ? ANY_ONE : ch));
}

/**
 * Patterns come from policies, a small set asked about again and again (every decision of every
 * request): each is compiled once, and its case-folded form once. Bounded, so hostile input cannot
 * grow it without end; compiled forms are never mutated.
 */
const compiled = new Map<string, { exact: readonly GlobToken[]; folded: readonly GlobToken[] }>();
const maxCompiled = 10_000;

function fold(pattern: readonly GlobToken[]): GlobToken[] {
  return pattern.flatMap((token): GlobToken[] =>
    typeof token === 'string' ? Array.from(token.toLowerCase()) : [token],
  );
}

/** The compiled tokens of a literal pattern (no policy variables), shared: do not mutate. */
export function compiledGlob(pattern: string, caseInsensitive = false): readonly GlobToken[] {
  let entry = compiled.get(pattern);
  if (!entry) {
    if (compiled.size >= maxCompiled) compiled.clear();
    const exact = globTokens(pattern);
    entry = { exact, folded: fold(exact) };
    compiled.set(pattern, entry);
  }
  return caseInsensitive ? entry.folded : entry.exact;
}

export function matchGlobTokens(pattern: readonly GlobToken[], value: string, caseInsensitive: boolean): boolean {
  return matchFolded(caseInsensitive ? fold(pattern) : pattern, caseInsensitive ? value.toLowerCase() : value);
}

/** Lone surrogate halves or pairs: only such a value needs splitting into code points. */
const surrogate = /[\uD800-\uDFFF]/;

/** `tokens` already folded when `value` is. */
function matchFolded(tokens: readonly GlobToken[], value: string): boolean {
  // Tokens are code points; a value without surrogates is indexed as it is (no array per match).
  const chars: ArrayLike<string> = surrogate.test(value) ? Array.from(value) : value;
  let t = 0;
  let v = 0;
  // Where the last `*` was and how much of the value it has swallowed so far: on a mismatch, let it swallow one more.
  let starToken = -1;
  let starValue = 0;
  while (v < chars.length) {
    const token = tokens[t];
    if (token === ANY_RUN) {
      starToken = t++;
      starValue = v;
    } else if (token !== undefined && (token === ANY_ONE || token === chars[v])) {
      t++;
      v++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      v = ++starValue;
    } else {
      return false;
    }
  }
  while (tokens[t] === ANY_RUN) t++;
  return t === tokens.length;
}

export function wildcardMatch(pattern: string, value: string, options: { caseInsensitive: boolean }): boolean {
  const { caseInsensitive } = options;
  return matchFolded(compiledGlob(pattern, caseInsensitive), caseInsensitive ? value.toLowerCase() : value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * ARN matching as IAM does it: pattern and value are compared component by component (split at `:`),
 * so a wildcard never spans a `:` between components: `arn:portal:*:report/*` does not match
 * `arn:portal:o-1:111111111111:report/r-1` (its `*` would have to cover the organization AND the
 * account). The pattern's last component matches the rest of the value, `:` included, which keeps
 * `arn:portal:o-1:*` meaning everything of organization o-1 and `*` alone meaning everything.
 */
export function matchArnTokens(pattern: readonly GlobToken[], value: string): boolean {
  const components = arnComponents(pattern);
  const last = components.length - 1;
  let start = 0;
  for (let i = 0; i < last; i++) {
    const end = value.indexOf(':', start);
    if (end < 0) return false;
    if (!matchFolded(components[i] as GlobToken[], value.slice(start, end))) return false;
    start = end + 1;
  }
  return matchFolded(components[last] as GlobToken[], value.slice(start));
}

/** A pattern's components (split at `:`), once per compiled pattern. */
const componentsOf = new WeakMap<readonly GlobToken[], GlobToken[][]>();

function arnComponents(pattern: readonly GlobToken[]): GlobToken[][] {
  let components = componentsOf.get(pattern);
  if (!components) {
    components = [[]];
    for (const token of pattern) {
      if (token === ':') components.push([]);
      else (components[components.length - 1] as GlobToken[]).push(token);
    }
    componentsOf.set(pattern, components);
  }
  return components;
}
