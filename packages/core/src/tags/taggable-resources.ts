import type { Caller } from '../access/caller.js';
import { orgOf } from '../access/caller.js';
import { parsePortalArn } from '../access/policy/portal-arn.js';
import type { RequestContext } from '../access/principal.js';
import { NotFoundError, ValidationError } from '../errors.js';

/**
 * The port through which the tags module reaches the resources it tags. Each module that owns a
 * taggable resource type registers one `TaggableResourceType` (composition does: reports,
 * agreements; a third module adds its own), and the tag use cases resolve every ARN through the
 * registry. A type that is not registered cannot be tagged.
 */
export interface TaggableResourceType {
  /** The portal resource type (access/policy/portal-arn.ts): `report`, `agreement`, … */
  type: string;
  /** The Artifact ARN type naming the same resources by public alias (`arn:aws:artifact:…:report/report-…`). */
  artifactType?: string;
  /**
   * The resource with this portal id as the caller's organization sees it, or undefined when it is
   * unknown or invisible to it (the two must answer alike).
   */
  find(caller: Caller, id: string): Promise<TaggableResource | undefined>;
  /** The resource with this public alias (`report-0123…`), as `find` answers. Needed with `artifactType`. */
  findByAlias?(caller: Caller, alias: string): Promise<TaggableResource | undefined>;
}

/** One resolved, visible resource: what tags are stored under and what `authorize` is asked about. */
export interface TaggableResource {
  type: string;
  /** The portal id (tags are stored per organization under type + id). */
  id: string;
  /** The ARN the tag operations ask `authorize` about (built by access/resources.ts). */
  arn: string;
  /** The resource's own condition keys (a report's `portal:ReportCategory`, …), added to the question. */
  context?: RequestContext;
}

export interface TaggableResourceRegistry {
  /** Adds a type; a second registration of the same type is a wiring bug and throws. */
  register(type: TaggableResourceType): void;
  types(): readonly string[];
  /** The resource an ARN names, visible to the caller's organization; NotFoundError otherwise. */
  resolve(caller: Caller, resourceArn: string): Promise<TaggableResource>;
}

const ARTIFACT_ARN = /^arn:aws:artifact:[a-z0-9-]*:\d{0,12}:([a-z-]+)\/([a-zA-Z0-9-]{1,128})$/;

export function createTaggableResourceRegistry(
  initial: readonly TaggableResourceType[] = [],
): TaggableResourceRegistry {
  const byType = new Map<string, TaggableResourceType>();
  const byArtifactType = new Map<string, TaggableResourceType>();
  const registry: TaggableResourceRegistry = {
    register(type) {
      if (byType.has(type.type)) throw new Error(`Taggable resource type ${type.type} is registered twice`);
      byType.set(type.type, type);
      if (type.artifactType) {
        if (!type.findByAlias)
          throw new Error(`Taggable resource type ${type.type} has an artifactType but no findByAlias`);
        byArtifactType.set(type.artifactType, type);
      }
    },
    types: () => [...byType.keys()],
    async resolve(caller, resourceArn) {
      const missing = () => new NotFoundError(`No taggable resource ${resourceArn}.`);
      const portal = parsePortalArn(resourceArn);
      if (portal) {
        // Another organization's ARN answers like a missing resource; the account segment is the
        // asking account's view (reportArn) and does not change which resource is named.
        const type = byType.get(portal.resourceType);
        if (!type || portal.orgId !== orgOf(caller) || portal.resourceId === '') throw missing();
        return (await type.find(caller, portal.resourceId)) ?? Promise.reject(missing());
      }
      if (!resourceArn.startsWith('arn:portal:') && !resourceArn.startsWith('arn:aws:artifact:')) {
        throw new ValidationError('Invalid resource ARN.', [
          {
            path: 'resourceArn',
            message: 'expected a portal ARN (arn:portal:…) or an Artifact ARN (arn:aws:artifact:…)',
          },
        ]);
      }
      const artifact = ARTIFACT_ARN.exec(resourceArn);
      const type = artifact ? byArtifactType.get(artifact[1] as string) : undefined;
      if (!artifact || !type?.findByAlias) throw missing();
      return (await type.findByAlias(caller, artifact[2] as string)) ?? Promise.reject(missing());
    },
  };
  for (const type of initial) registry.register(type);
  return registry;
}
