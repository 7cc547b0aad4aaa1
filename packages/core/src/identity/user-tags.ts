import { z } from 'zod';

/**
 * Keys that name an object's prototype machinery. A map keyed by user input never takes them:
 * `__proto__` would silently vanish (or re-parent the map) and `constructor`/`prototype` shadow what
 * every plain object inherits, so code reading `tags[key]` could meet a function instead of a string.
 */
export const reservedMapKeys: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** A principal tag key (`aws:PrincipalTag/<key>`): IAM's characters. */
export const tagKeyField = z.string().regex(/^[A-Za-z0-9_.:/=+@-]{1,64}$/, 'a tag key');

/**
 * A map schema that refuses the reserved keys (400, at `<field>.<key>`) on the raw input, before the
 * record is built: a parsed `__proto__` key is an own property there, but never reaches a record.
 */
export function refusingReservedKeys<T extends z.ZodType>(record: T) {
  return z.preprocess((value, context) => {
    if (value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (reservedMapKeys.includes(key)) {
          context.addIssue({
            code: 'custom',
            message: 'is a reserved name (__proto__, constructor, prototype)',
            path: [key],
          });
        }
      }
    }
    return value;
  }, record);
}

/** A user's tags. */
export const userTagsField = refusingReservedKeys(z.record(tagKeyField, z.string().max(256)));
