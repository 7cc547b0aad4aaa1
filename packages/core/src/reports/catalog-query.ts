import { ValidationError } from '../errors.js';
import type { Report } from './report-model.js';

export const catalogSorts = ['name', '-name', 'periodEnd', '-periodEnd', 'updatedAt', '-updatedAt'] as const;
export type CatalogSort = (typeof catalogSorts)[number];

export interface CatalogQuery {
  /** Case-insensitive words, all of which must appear in name, description or series. */
  q?: string;
  category?: string;
  series?: string;
  company?: string;
  thirdParty?: boolean;
  /** Some complete version's period overlaps [periodFrom, periodTo] (ISO dates, either end open). */
  periodFrom?: string;
  periodTo?: string;
  sort?: CatalogSort;
  cursor?: string;
  limit?: number;
  /**
   * Only these categories and series: what the caller's policies could allow at all
   * (`Authorizer.conditionBounds`), pushed into the query so the rest is never asked about.
   */
  within?: { category?: ReadonlySet<string>; series?: ReadonlySet<string> };
}

export const defaultCatalogLimit = 25;
export const maxCatalogLimit = 100;

function sortValue(report: Report, sort: CatalogSort): string {
  const field = sort.startsWith('-') ? sort.slice(1) : sort;
  if (field === 'name') return report.name.toLocaleLowerCase('en');
  if (field === 'periodEnd') return report.latest?.periodEnd ?? '';
  return report.updatedAt;
}

function compare(a: [string, string], b: [string, string], descending: boolean): number {
  const primary = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  const order = primary !== 0 ? primary : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  return descending ? -order : order;
}

interface CursorState {
  sort: CatalogSort;
  value: string;
  id: string;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.sort, state.value, state.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: CatalogSort): CursorState {
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor of this listing' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string')) {
    throw invalid();
  }
  const [cursorSort, value, id] = parsed as [string, string, string];
  if (cursorSort !== sort) throw invalid();
  return { sort, value, id };
}

function matches(report: Report, query: CatalogQuery): boolean {
  if (query.within?.category && !query.within.category.has(report.category)) return false;
  if (query.within?.series && !query.within.series.has(report.series)) return false;
  if (query.category !== undefined && report.category !== query.category) return false;
  if (query.series !== undefined && report.series !== query.series) return false;
  if (query.company !== undefined && report.company !== query.company) return false;
  if (query.thirdParty !== undefined && report.thirdParty !== query.thirdParty) return false;
  if (query.periodFrom !== undefined || query.periodTo !== undefined) {
    const from = query.periodFrom ?? '0000-01-01';
    const to = query.periodTo ?? '9999-12-31';
    if (!report.periods.some(([start, end]) => start <= to && end >= from)) return false;
  }
  if (query.q !== undefined && query.q.trim() !== '') {
    const haystack = `${report.name}\n${report.description}\n${report.series}`.toLocaleLowerCase('en');
    const words = query.q.toLocaleLowerCase('en').split(/\s+/).filter(Boolean);
    if (!words.every((word) => haystack.includes(word))) return false;
  }
  return true;
}

interface Keyed {
  report: Report;
  key: [string, string];
}

/** Sorted orders of frozen catalog reads (the catalog caches one read per stamp and never changes it). */
const sortedReads = new WeakMap<readonly Report[], Map<CatalogSort, Keyed[]>>();

/** The reports in this order: sorted once per catalog read, not once per request. */
function sortedBy(reports: readonly Report[], sort: CatalogSort): Keyed[] {
  const bySort = Object.isFrozen(reports) ? (sortedReads.get(reports) ?? new Map<CatalogSort, Keyed[]>()) : undefined;
  const known = bySort?.get(sort);
  if (known) return known;
  const descending = sort.startsWith('-');
  const keyed = reports
    .map((report) => ({ report, key: [sortValue(report, sort), report.id] as [string, string] }))
    .sort((a, b) => compare(a.key, b.key, descending));
  if (bySort) {
    bySort.set(sort, keyed);
    sortedReads.set(reports, bySort);
  }
  return keyed;
}

/** The first position after the cursor (binary search: `keyed` is in this order). */
function positionAfter(keyed: readonly Keyed[], after: [string, string], descending: boolean): number {
  let low = 0;
  let high = keyed.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare((keyed[middle] as Keyed).key, after, descending) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The matching reports after the cursor, in order, found lazily (a page reads only what it shows). */
function* matchingAfterCursor(reports: readonly Report[], query: CatalogQuery, sort: CatalogSort) {
  const keyed = sortedBy(reports, sort);
  const descending = sort.startsWith('-');
  let start = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, sort);
    start = positionAfter(keyed, [after.value, after.id], descending);
  }
  for (let i = start; i < keyed.length; i++) {
    const entry = keyed[i] as Keyed;
    if (matches(entry.report, query)) yield entry;
  }
}

function pageShape(query: CatalogQuery) {
  const sort = query.sort ?? 'name';
  const limit = Math.min(Math.max(1, query.limit ?? defaultCatalogLimit), maxCatalogLimit);
  return { sort, limit };
}

function finished(page: Keyed[], more: boolean, sort: CatalogSort): { items: Report[]; nextCursor?: string } {
  const last = page.at(-1);
  return {
    items: page.map((entry) => entry.report),
    ...(more && last ? { nextCursor: encodeCursor({ sort, value: last.key[0], id: last.key[1] }) } : {}),
  };
}

/**
 * Filters, sorts and pages a catalog held in memory (DynamoDB has no full-text search). The cursor
 * names the last item's sort value and id, so pages stay stable while reports are added or removed.
 */
export function queryCatalog(
  reports: readonly Report[],
  query: CatalogQuery,
): { items: Report[]; nextCursor?: string } {
  const { sort, limit } = pageShape(query);
  const page: Keyed[] = [];
  for (const entry of matchingAfterCursor(reports, query, sort)) {
    if (page.length === limit) return finished(page, true, sort);
    page.push(entry);
  }
  return finished(page, false, sort);
}

/**
 * The same page when only some reports may be shown: `allowed` is asked about the matching reports
 * in page order, until the page and one more are found (which tells whether a next page exists).
 */
export async function pageCatalog(
  reports: readonly Report[],
  query: CatalogQuery,
  allowed: (report: Report) => boolean | Promise<boolean>,
): Promise<{ items: Report[]; nextCursor?: string }> {
  const { sort, limit } = pageShape(query);
  const page: Keyed[] = [];
  for (const entry of matchingAfterCursor(reports, query, sort)) {
    if (!(await allowed(entry.report))) continue;
    if (page.length === limit) return finished(page, true, sort);
    page.push(entry);
  }
  return finished(page, false, sort);
}
