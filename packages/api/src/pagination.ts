import { defaultPageLimit, maxPageLimit, pageInput } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

export { defaultPageLimit, maxPageLimit };

/** The query of every cursor-paged listing (`?cursor=&limit=`, core's `pageInput`); routes extend it with their filters. */
export const PageQuery = pageInput;

/** A page of `items`; `nextCursor` is present when more may follow. */
export const PageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/** The page a route answers: each item presented, the cursor passed on only when there is one. */
export function presentPage<T, R>(page: { items: T[]; nextCursor?: string }, present: (item: T) => R) {
  return { items: page.items.map(present), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** The cursor and limit of a validated page query, as the use cases take them. */
export function pageOptions(query: { cursor?: string | undefined; limit: number }) {
  return { limit: query.limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
}
