import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { parseInput } from '../input.js';
import type { TagDeps } from './tag-deps.js';
import { resourceArnField, resourceTagKeysField } from './tag-fields.js';
import { type ResourceTags, writeTags } from './write-tags.js';

export const untagResourceInput = z.object({ resourceArn: resourceArnField, tagKeys: resourceTagKeysField });
export type UntagResourceInput = z.infer<typeof untagResourceInput>;

/** Removes tags by key (`portal:UntagResource`, with `aws:TagKeys`); keys the resource does not carry are ignored. */
export async function untagResource(deps: TagDeps, caller: Caller, raw: UntagResourceInput): Promise<ResourceTags> {
  const input = parseInput(untagResourceInput, raw);
  const orgId = orgOf(caller);
  const resource = await deps.resources.resolve(caller, input.resourceArn);
  const tagKeys = [...new Set(input.tagKeys)];
  return writeTags(deps, caller, orgId, resource, 'portal:UntagResource', { tagKeys }, (current) => {
    const next = Object.fromEntries(Object.entries(current).filter(([key]) => !tagKeys.includes(key)));
    return { next, action: 'tag:ResourceUntagged', details: { tagKeys } };
  });
}
