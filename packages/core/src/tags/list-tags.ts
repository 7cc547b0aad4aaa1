import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { parseInput } from '../input.js';
import { authorizedTags, type TagDeps } from './tag-deps.js';
import { resourceArnField } from './tag-fields.js';
import { type ResourceTags, resourceTagsOf } from './write-tags.js';

export const listTagsInput = z.object({ resourceArn: resourceArnField });
export type ListTagsInput = z.infer<typeof listTagsInput>;

/** The tags of a resource, as the caller's organization set them (`portal:ListTagsForResource`). */
export async function listTagsForResource(deps: TagDeps, caller: Caller, raw: ListTagsInput): Promise<ResourceTags> {
  const input = parseInput(listTagsInput, raw);
  const orgId = orgOf(caller);
  const resource = await deps.resources.resolve(caller, input.resourceArn);
  const stored = await authorizedTags(deps, caller, 'portal:ListTagsForResource', resource, orgId);
  return resourceTagsOf(resource, stored.tags);
}
