import { type Caller, orgOf } from '../access/caller.js';
import { complianceInquiryArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../ports/store.js';
import { readTags } from '../tags/tag-records.js';
import type { TaggableResource, TaggableResourceType } from '../tags/taggable-resources.js';
import { readInquiry } from './inquiry-records.js';

export const inquiryResource = (id: string) => ({ type: 'compliance-inquiry', id });

/** The inquiry's tags in its organization (one read). */
export async function tagsOfInquiry(store: Store, orgId: string, id: string): Promise<Record<string, string>> {
  return (await readTags(store, orgId, inquiryResource(id))).tags;
}

/**
 * Compliance inquiries as a taggable resource type: the portal id is the Artifact id
 * (`compliance-inquiry-…`), so the Artifact ARN `arn:aws:artifact:<region>:<account>:compliance-inquiry/<id>`
 * and the portal ARN name the same inquiry. Another organization's inquiry is not found.
 */
export function inquiryTaggables(store: Store): TaggableResourceType {
  const find = async (caller: Caller, id: string): Promise<TaggableResource | undefined> => {
    try {
      const inquiry = await readInquiry(store, orgOf(caller), id);
      return { type: 'compliance-inquiry', id: inquiry.id, arn: complianceInquiryArn(inquiry.orgId, inquiry.id) };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
  return { type: 'compliance-inquiry', artifactType: 'compliance-inquiry', find, findByAlias: find };
}
