import type { Caller } from '../access/caller.js';
import { type ListTagsInput, listTagsForResource } from './list-tags.js';
import type { TagDeps } from './tag-deps.js';
import { type TagResourceInput, tagResource } from './tag-resource.js';
import type { TaggableResourceRegistry } from './taggable-resources.js';
import { type UntagResourceInput, untagResource } from './untag-resource.js';
import type { ResourceTags } from './write-tags.js';

/**
 * The tags module (docs/tags.md): per-organization tags on registered resource types (reports,
 * agreements, and whatever a module registers), each use case `(caller, input)` asking `authorize`
 * for the tagged resource with IAM's tag condition keys. This facade binds them to their deps.
 */
export interface ResourceTagging {
  list(caller: Caller, input: ListTagsInput): Promise<ResourceTags>;
  tag(caller: Caller, input: TagResourceInput): Promise<ResourceTags>;
  untag(caller: Caller, input: UntagResourceInput): Promise<ResourceTags>;
  /** The registry of taggable resource types (a module registers its own type here, at composition). */
  resources: TaggableResourceRegistry;
}

export function createResourceTagging(deps: TagDeps): ResourceTagging {
  return {
    list: (caller, input) => listTagsForResource(deps, caller, input),
    tag: (caller, input) => tagResource(deps, caller, input),
    untag: (caller, input) => untagResource(deps, caller, input),
    resources: deps.resources,
  };
}
