import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { ValidationError } from '../errors.js';
import { parseInput } from '../input.js';
import type { TagDeps } from './tag-deps.js';
import { resourceArnField, resourceTagsField, tagLimits } from './tag-fields.js';
import { type ResourceTags, writeTags } from './write-tags.js';

/** PUT …/tags: the body (the route names the resource in its path). */
export const tagResourceBody = z.object({ tags: resourceTagsField });
export const tagResourceInput = z.object({ resourceArn: resourceArnField, tags: resourceTagsField });
export type TagResourceInput = z.infer<typeof tagResourceInput>;

/**
 * Adds or overwrites tags (`portal:TagResource`, with `aws:RequestTag/<key>` and `aws:TagKeys`). More
 * than 50 tags after the merge is refused and nothing is written; the item and the ledger entry are
 * one transaction. A call that changes nothing writes nothing.
 */
export async function tagResource(deps: TagDeps, caller: Caller, raw: TagResourceInput): Promise<ResourceTags> {
  const input = parseInput(tagResourceInput, raw);
  const orgId = orgOf(caller);
  const resource = await deps.resources.resolve(caller, input.resourceArn);
  const tagKeys = Object.keys(input.tags);
  return writeTags(deps, caller, orgId, resource, 'portal:TagResource', { tags: input.tags, tagKeys }, (current) => {
    const next = { ...current, ...input.tags };
    if (Object.keys(next).length > tagLimits.maxTags) {
      throw new ValidationError('Too many tags.', [
        {
          path: 'tags',
          message: `a resource has at most ${tagLimits.maxTags} tags: it has ${Object.keys(current).length}, and ${Object.keys(next).length - Object.keys(current).length} would be added`,
        },
      ]);
    }
    return { next, action: 'tag:ResourceTagged', details: { tags: input.tags } };
  });
}
