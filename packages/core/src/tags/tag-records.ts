import { z } from 'zod';
import { parseInput } from '../input.js';
import type { Item, ItemKey, Store, WriteOp } from '../ports/store.js';
import { resourceTagsField, type Tags } from './tag-fields.js';
import type { TaggableResource } from './taggable-resources.js';

/**
 * Where tags live: one item per (organization, resource) holding the whole map and a version, in the
 * organization's own partition, so org A's tags on a shared catalog report are never org B's:
 *
 *     pk TAGS#<orgId>   sk <type>#<id>   { tags: {k: v}, version }
 *
 * Every write is conditional on the version it read (or on absence), so concurrent tag and untag
 * calls never lose each other's changes, and it is committed with the act's ledger entry.
 */
export const tagItemKeys = {
  partition: (orgId: string) => `TAGS#${orgId}`,
  item: (orgId: string, type: string, id: string): ItemKey => ({ pk: `TAGS#${orgId}`, sk: `${type}#${id}` }),
};

export interface StoredTags {
  tags: Tags;
  /** 0 when no item exists yet. */
  version: number;
}

type ResourceRef = Pick<TaggableResource, 'type' | 'id'>;

function tagsOf(item: Item | undefined): Tags {
  const raw = item?.tags;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The resource's tags in the organization (one strongly consistent read when `consistent`). */
export async function readTags(
  store: Store,
  orgId: string,
  resource: ResourceRef,
  options: { consistent?: boolean } = {},
): Promise<StoredTags> {
  const item = await store.get(tagItemKeys.item(orgId, resource.type, resource.id), options);
  return { tags: tagsOf(item), version: typeof item?.version === 'number' ? item.version : 0 };
}

/**
 * The Store transaction items for "the resource's tags are now `tags`", to commit in the caller's own
 * transaction (a ledger append's `alsoWrite`): a put conditional on the version read, or on absence
 * when `expectedVersion` is 0 (a resource created in the same transaction). An empty map deletes the
 * item. The caller checks the limits first (`tagLimits`); this only writes.
 */
export function tagWriteOps(orgId: string, resource: ResourceRef, tags: Tags, expectedVersion = 0): WriteOp[] {
  const key = tagItemKeys.item(orgId, resource.type, resource.id);
  const condition =
    expectedVersion === 0
      ? ({ kind: 'notExists' } as const)
      : ({ kind: 'equals', attribute: 'version', value: expectedVersion } as const);
  if (Object.keys(tags).length === 0) {
    return expectedVersion === 0 ? [] : [{ kind: 'delete', key, condition }];
  }
  return [
    {
      kind: 'put',
      item: {
        ...key,
        type: 'ResourceTags',
        orgId,
        resourceType: resource.type,
        resourceId: resource.id,
        tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        version: expectedVersion + 1,
      },
      condition,
    },
  ];
}

/**
 * For a module that creates a taggable resource with tags (in its own transaction): the tags checked
 * as TagResource checks them (1-50, the model's characters, no `aws:` keys; ValidationError on
 * `tags.<key>` otherwise) and the Store items that store them, conditional on no tags existing yet.
 * Put them in the same `ledger.append({ alsoWrite })` as the resource; an empty map adds nothing.
 */
export function initialTagOps(orgId: string, resource: ResourceRef, tags: Tags | undefined): WriteOp[] {
  if (tags === undefined || Object.keys(tags).length === 0) return [];
  return tagWriteOps(orgId, resource, parseInput(z.object({ tags: resourceTagsField }), { tags }).tags, 0);
}
