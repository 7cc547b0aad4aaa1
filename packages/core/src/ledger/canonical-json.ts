import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON: sorted keys, ECMAScript number formatting, minimal escaping. The
 * ledger hashes these bytes, so any verifier that implements JCS gets the same leaf.
 */
export function canonicalJson(value: unknown): string {
  const problem = canonicalJsonProblem(value);
  if (problem) throw new TypeError(`${problem.path || 'value'}: ${problem.message}`);
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

export interface CanonicalJsonProblem {
  /** Where, as `a.b[0]["odd key"]` below `basePath`. */
  path: string;
  message: string;
}

// With the `u` flag a paired surrogate is one code point, so this matches lone (unpaired) surrogates only.
const loneSurrogate = /\p{Surrogate}/u;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** No portal document nests this deep; the ledger's details and every JSON body are held to it. */
const maxDepth = 64;

function memberPath(base: string, key: string): string {
  if (identifier.test(key)) return base ? `${base}.${key}` : key;
  // A key is shown as a JSON string, so a lone surrogate in it prints as an escape.
  return `${base}[${JSON.stringify(key)}]`;
}

function surrogateMessage(text: string): string {
  const unit = text.match(loneSurrogate)?.[0]?.charCodeAt(0) ?? 0;
  return `contains a lone surrogate (U+${unit.toString(16).toUpperCase()}), which RFC 8785 cannot canonicalize`;
}

/**
 * The first reason `value` has no RFC 8785 form, or undefined. JCS is defined on the I-JSON subset,
 * so what would otherwise silently change meaning is refused: lone surrogates (RFC 8785 §3.2.2.2
 * requires canonicalization to fail), holes in arrays (`[1,,3]` would become `[1,3]`), members whose
 * value is `undefined` (they would vanish), non-finite numbers, non-plain objects (Dates, Maps...) and
 * nesting deeper than 64 levels.
 * The HTTP edge runs the same check on every JSON body, naming the field (`body.document...`).
 */
export function canonicalJsonProblem(value: unknown, basePath = '', depth = 0): CanonicalJsonProblem | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  // Bounded, so a hostile body of thousands of nested arrays is refused instead of exhausting the stack.
  if (depth > maxDepth) return { path: basePath, message: `nested deeper than ${maxDepth} levels` };
  if (typeof value === 'string') {
    return loneSurrogate.test(value) ? { path: basePath, message: surrogateMessage(value) } : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path: basePath, message: 'non-finite number' };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const path = `${basePath}[${i}]`;
      if (!(i in value)) return { path, message: 'a hole in the array (sparse arrays have no JSON form)' };
      const problem = canonicalJsonProblem(value[i], path, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const path = memberPath(basePath, key);
      if (loneSurrogate.test(key)) return { path, message: `the member name ${surrogateMessage(key)}` };
      if (item === undefined) return { path, message: 'undefined (a member needs a JSON value)' };
      const problem = canonicalJsonProblem(item, path, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return { path: basePath, message: 'not a JSON value' };
}
