import type { Caller } from '../access/caller.js';
import type { Authorizer, RequestContext } from '../access/principal.js';
import { requireAllowed } from '../access/require-allowed.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { Store } from '../ports/store.js';
import type { Tags } from './tag-fields.js';
import { readTags, type StoredTags } from './tag-records.js';
import type { TaggableResource, TaggableResourceRegistry } from './taggable-resources.js';

/** What the tag use cases work with; built once by composition. */
export interface TagDeps {
  store: Store;
  ledger: LedgerWriter;
  authorizer: Authorizer;
  resources: TaggableResourceRegistry;
}

export type TagAction = 'portal:TagResource' | 'portal:UntagResource' | 'portal:ListTagsForResource';

/** Tag writes retry this often when a concurrent tag or untag moved the item, then 409 `concurrent_change`. */
export const maxTagWriteAttempts = 8;

/** IAM's tag condition keys: `aws:ResourceTag/<key>` from the stored tags, the request's own keys and values. */
export function tagConditionKeys(
  stored: Tags,
  request: { tags?: Tags; tagKeys?: readonly string[] } = {},
): RequestContext {
  const context: RequestContext = {};
  for (const [key, value] of Object.entries(stored)) context[`aws:ResourceTag/${key}`] = value;
  for (const [key, value] of Object.entries(request.tags ?? {})) context[`aws:RequestTag/${key}`] = value;
  if (request.tagKeys) context['aws:TagKeys'] = [...request.tagKeys];
  return context;
}

/**
 * The one authorization question of a tag operation: `authorize(action, the resource's ARN)` with
 * the resource's own keys and the tag keys. It reads the stored tags first (they are condition
 * keys), strongly consistent for a write that will be conditional on their version.
 */
export async function authorizedTags(
  deps: TagDeps,
  caller: Caller,
  action: TagAction,
  resource: TaggableResource,
  orgId: string,
  request: { tags?: Tags; tagKeys?: readonly string[] } = {},
  consistent = false,
): Promise<StoredTags> {
  const stored = await readTags(deps.store, orgId, resource, { consistent });
  await requireAllowed(deps.authorizer, caller, action, resource.arn, {
    ...resource.context,
    ...tagConditionKeys(stored.tags, request),
  });
  return stored;
}
