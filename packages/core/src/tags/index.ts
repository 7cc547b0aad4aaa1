export { agreementTaggables, type ReportLookup, reportTaggables } from './catalog-resources.js';
export { type ListTagsInput, listTagsInput } from './list-tags.js';
export { maxTagWriteAttempts, type TagAction, type TagDeps, tagConditionKeys } from './tag-deps.js';
export {
  resourceArnField,
  resourceTagKeyField,
  resourceTagKeysField,
  resourceTagsField,
  resourceTagValueField,
  type Tags,
  tagCharacters,
  tagLimits,
} from './tag-fields.js';
export { initialTagOps, readTags, type StoredTags, tagItemKeys, tagWriteOps } from './tag-records.js';
export { type TagResourceInput, tagResourceBody, tagResourceInput } from './tag-resource.js';
export {
  createTaggableResourceRegistry,
  type TaggableResource,
  type TaggableResourceRegistry,
  type TaggableResourceType,
} from './taggable-resources.js';
export { createResourceTagging, type ResourceTagging } from './tags.js';
export { type UntagResourceInput, untagResourceInput } from './untag-resource.js';
export { type ResourceTags, resourceTagsOf } from './write-tags.js';
