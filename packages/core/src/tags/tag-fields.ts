import { z } from 'zod';
import { refusingReservedKeys } from '../identity/user-tags.js';

/**
 * Tags as the AWS Artifact model states them (artifact/2018-05-10: TagsMap, TagKey, TagValue,
 * TagKeys), plus IAM's reservation of the `aws:` prefix. One home for the rules: the use cases parse
 * their input with these fields, the portal routes and the Artifact operations reuse them.
 */
export const tagLimits = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;

/** The model's pattern for keys and values: letters, digits, whitespace and `_ . : / = + - @`. */
export const tagCharacters = /^[a-zA-Z0-9\s_.:/=+\-@]*$/;
const characters = 'may contain only letters, digits, whitespace and _ . : / = + - @';

export const resourceTagKeyField = z
  .string()
  .min(1, 'a tag key is 1 to 128 characters')
  .max(tagLimits.maxKeyLength, 'a tag key is 1 to 128 characters')
  .regex(tagCharacters, `a tag key ${characters}`)
  .refine((key) => !key.toLowerCase().startsWith('aws:'), 'tag keys starting with "aws:" are reserved')
  .describe('A tag key: 1-128 characters of letters, digits, whitespace and _ . : / = + - @; not starting with aws:');

export const resourceTagValueField = z
  .string()
  .max(tagLimits.maxValueLength, 'a tag value is at most 256 characters')
  .regex(tagCharacters, `a tag value ${characters}`)
  .describe('A tag value: 0-256 characters, the same characters as keys');

/**
 * A map of 1-50 tags (TagResource's `tags`). The names of an object's prototype machinery are refused
 * on the raw input (as user tags refuse them), before the record is built.
 */
export const resourceTagsField = refusingReservedKeys(z.record(z.string(), resourceTagValueField))
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one tag' });
    if (keys.length > tagLimits.maxTags) ctx.addIssue({ code: 'custom', message: `at most ${tagLimits.maxTags} tags` });
    for (const key of keys) {
      const parsed = resourceTagKeyField.safeParse(key);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', path: [key], message: parsed.error.issues[0]?.message ?? 'invalid tag key' });
      }
    }
  })
  .describe(`Tags to set: key -> value, 1 to ${tagLimits.maxTags} entries`);

/** 1-50 keys (UntagResource's `tagKeys`). */
export const resourceTagKeysField = z
  .array(resourceTagKeyField)
  .min(1, 'name at least one tag key')
  .max(tagLimits.maxTags, `at most ${tagLimits.maxTags} tag keys`)
  .describe(`Tag keys to remove, 1 to ${tagLimits.maxTags}`);

/** The resource a tag operation names: a portal ARN or an Artifact ARN (docs/artifact-api.md). */
export const resourceArnField = z
  .string()
  .min(1)
  .max(2048)
  .describe('The tagged resource: a portal ARN (arn:portal:<orgId>:<accountId>:report/<id>) or an Artifact ARN');

export type Tags = Record<string, string>;
