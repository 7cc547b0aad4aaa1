import { NotFoundError } from '../errors.js';
import type { Item, Store } from '../ports/store.js';
import { inquiryKeys } from './inquiry-keys.js';
import { type Inquiry, type InquiryQuery, queriesPerChunk } from './inquiry-model.js';

/** Stored forms: the inquiry item (JSON in `data`), and its queries in chunks of ten. */
export function inquiryItem(inquiry: Inquiry): Item {
  return {
    ...inquiryKeys.inquiry(inquiry.orgId, inquiry.id),
    type: 'ComplianceInquiry',
    version: inquiry.version,
    data: JSON.stringify(inquiry),
    gsi1pk: inquiryKeys.listIndex(inquiry.orgId),
    gsi1sk: `${inquiry.createdAt}#${inquiry.id}`,
    // In the operator's queue only while it waits for human review.
    ...(inquiry.status === 'HUMAN_REVIEW'
      ? { gsi2pk: inquiryKeys.reviewIndex, gsi2sk: `${inquiry.createdAt}#${inquiry.orgId}#${inquiry.id}` }
      : {}),
  };
}

export function chunkItem(
  inquiry: Pick<Inquiry, 'orgId' | 'id'>,
  chunk: number,
  queries: InquiryQuery[],
  version: number,
): Item {
  return {
    ...inquiryKeys.chunk(inquiry.orgId, inquiry.id, chunk),
    type: 'ComplianceInquiryQueries',
    version,
    data: JSON.stringify(queries),
  };
}

export const chunkOf = (queryIdentifier: number) => Math.floor((queryIdentifier - 1) / queriesPerChunk);

export function chunked(queries: InquiryQuery[]): InquiryQuery[][] {
  const out: InquiryQuery[][] = [];
  for (let i = 0; i < queries.length; i += queriesPerChunk) out.push(queries.slice(i, i + queriesPerChunk));
  return out;
}

export const parseInquiry = (item: Item | undefined): Inquiry | undefined =>
  item ? (JSON.parse(String(item.data)) as Inquiry) : undefined;

/** The organization's inquiry; another organization's answers exactly like a missing one. */
export async function readInquiry(store: Store, orgId: string, id: string, consistent = false): Promise<Inquiry> {
  const inquiry = parseInquiry(await store.get(inquiryKeys.inquiry(orgId, id), { consistent }));
  if (!inquiry || inquiry.orgId !== orgId) throw new NotFoundError(`No compliance inquiry ${id}.`);
  return inquiry;
}

/** Every query, in order (one batch read: at most 20 chunks). */
export async function readQueries(store: Store, inquiry: Inquiry): Promise<InquiryQuery[]> {
  if (inquiry.chunks === 0) return [];
  const keys = Array.from({ length: inquiry.chunks }, (_, i) => inquiryKeys.chunk(inquiry.orgId, inquiry.id, i));
  const items = await store.batchGet(keys);
  return items
    .sort((a, b) => (a.sk < b.sk ? -1 : 1))
    .flatMap((item) => JSON.parse(String(item.data)) as InquiryQuery[]);
}

/** One chunk and its version, read strongly (writes condition on it). */
export async function readChunk(
  store: Store,
  inquiry: Pick<Inquiry, 'orgId' | 'id'>,
  chunk: number,
): Promise<{ queries: InquiryQuery[]; version: number }> {
  const item = await store.get(inquiryKeys.chunk(inquiry.orgId, inquiry.id, chunk), { consistent: true });
  if (!item) return { queries: [], version: 0 };
  return { queries: JSON.parse(String(item.data)) as InquiryQuery[], version: Number(item.version) };
}
