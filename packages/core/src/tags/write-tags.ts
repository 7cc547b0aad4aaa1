import { actorOfCaller, type Caller } from '../access/caller.js';
import { commonErrors } from '../error-codes.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import { authorizedTags, maxTagWriteAttempts, type TagDeps } from './tag-deps.js';
import type { Tags } from './tag-fields.js';
import { tagWriteOps } from './tag-records.js';
import type { TaggableResource } from './taggable-resources.js';

/** What every tag operation answers: the resource's tags in the caller's organization, after the act. */
export interface ResourceTags {
  resourceArn: string;
  resourceType: string;
  resourceId: string;
  tags: Tags;
}

export const resourceTagsOf = (resource: TaggableResource, tags: Tags): ResourceTags => ({
  resourceArn: resource.arn,
  resourceType: resource.type,
  resourceId: resource.id,
  tags,
});

const sameTags = (a: Tags, b: Tags) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);

export interface TagChange {
  next: Tags;
  action: 'tag:ResourceTagged' | 'tag:ResourceUntagged';
  details: Record<string, string[] | Tags>;
}

/**
 * The write both tag and untag make: read the stored tags (strongly consistent), ask `authorize`,
 * plan the change, and commit the item with the act's ledger entry in one transaction, conditional
 * on the version read; a lost race reads again. A change that changes nothing writes nothing.
 */
export async function writeTags(
  deps: TagDeps,
  caller: Caller,
  orgId: string,
  resource: TaggableResource,
  action: 'portal:TagResource' | 'portal:UntagResource',
  request: { tags?: Tags; tagKeys: string[] },
  change: (current: Tags) => TagChange,
): Promise<ResourceTags> {
  const origin = caller.kind === 'principal' ? caller.origin : {};
  return retryOnRace(
    async () => {
      const stored = await authorizedTags(deps, caller, action, resource, orgId, request, true);
      const planned = change(stored.tags);
      if (sameTags(planned.next, stored.tags)) return resourceTagsOf(resource, stored.tags);
      await deps.ledger.append({
        orgId,
        actor: actorOfCaller(caller),
        action: planned.action,
        subject: resource.arn,
        details: { resourceType: resource.type, resourceId: resource.id, ...planned.details, ...origin },
        alsoWrite: tagWriteOps(orgId, resource, planned.next, stored.version),
      });
      return resourceTagsOf(resource, planned.next);
    },
    {
      attempts: maxTagWriteAttempts,
      exhausted: () => commonErrors.error('concurrent_change', 'The tags changed concurrently; retry.'),
    },
  );
}
