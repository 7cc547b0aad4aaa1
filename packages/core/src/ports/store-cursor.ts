import { ValidationError } from '../errors.js';

/**
 * Store cursors, for every Store implementation: base64url JSON of the last item's key attributes
 * (table key, plus the index key when an index is queried), bound to the partition it came from.
 */
export function encodeStoreCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function cursorError(message: string): ValidationError {
  return new ValidationError('Invalid cursor', [{ path: 'cursor', message }]);
}

/**
 * A cursor must be a base64url JSON object of string key attributes (of `keyAttributes`) whose
 * partition attribute is the partition asked for: a cursor of another listing (another tenant's)
 * must not steer this query.
 */
export function decodeStoreCursor(
  cursor: string,
  partitionAttribute: string,
  partition: string,
  keyAttributes: ReadonlySet<string>,
): Record<string, string> {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw cursorError('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw cursorError('malformed');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw cursorError('malformed');
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.some(([name, value]) => !keyAttributes.has(name) || typeof value !== 'string')) {
    throw cursorError('malformed');
  }
  const key = parsed as Record<string, string>;
  if (key[partitionAttribute] !== partition) throw cursorError('does not belong to this listing');
  return key;
}
