import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON: sorted keys, ECMAScript number formatting, minimal escaping. The
 * ledger hashes these bytes, so any verifier that implements JCS gets the same leaf.
 */
export function canonicalJson(value: unknown): string {
  assertJsonValue(value, '');
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** JCS is defined on the I-JSON subset: refuse what would silently change meaning (NaN, undefined, Dates...). */
function assertJsonValue(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path || 'value'}: non-finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      assertJsonValue(item, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      assertJsonValue(item, path ? `${path}.${key}` : key);
    }
    return;
  }
  throw new TypeError(`${path || 'value'}: not a JSON value`);
}
