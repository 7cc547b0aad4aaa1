import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { deniedError } from '../access/require-allowed.js';
import { reportArn } from '../access/resources.js';
import { pageInput, parseInput } from '../input.js';
import { type CatalogQuery, catalogSorts } from './catalog-query.js';
import { listReports } from './read-reports.js';
import type { ReportDeps } from './report-deps.js';
import { isoDateField } from './report-inputs.js';
import { reportDecision } from './report-question.js';
import type { ReportView } from './report-records.js';

/** GET /api/reports: the catalog's filters (as a query string carries them) and the page. */
export const catalogSearchInput = z
  .object({
    q: z.string().max(200).optional().describe('Words to find in name, description or series'),
    category: z.string().max(100).optional(),
    series: z.string().max(100).optional(),
    company: z.string().max(200).optional(),
    thirdParty: z.enum(['true', 'false']).optional(),
    periodFrom: isoDateField.optional().describe('Some version’s period overlaps [periodFrom, periodTo]'),
    periodTo: isoDateField.optional(),
    sort: z.enum(catalogSorts).optional().describe('Default `name`; `-` for descending'),
  })
  .extend(pageInput.shape);
export type CatalogSearchInput = z.input<typeof catalogSearchInput>;

const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;

const boundedKeys = ['portal:ReportCategory', 'portal:ReportSeries'] as const;

/** The categories and series the caller's policies could allow listing at all, when they bound them. */
async function policyBounds(deps: ReportDeps, caller: Caller): Promise<CatalogQuery['within']> {
  if (caller.kind !== 'principal' || !deps.authorizer.conditionBounds) return undefined;
  const bounds = await deps.authorizer.conditionBounds(caller.principal, 'portal:ListReports', boundedKeys);
  const category = bounds.get('portal:ReportCategory');
  const series = bounds.get('portal:ReportSeries');
  if (!category && !series) return undefined;
  return { ...(category ? { category } : {}), ...(series ? { series } : {}) };
}

/**
 * Published reports the caller may see, in pages: only the categories and series the caller's
 * policies could allow (pushed into the catalog query), then the catalog's own filters, then
 * `portal:ListReports` asked about each remaining report (with its category and series) in page
 * order, only until the page is full. A caller explicitly denied listing at all is told so (403), as
 * the simulator would, rather than shown an empty catalog.
 */
export async function searchCatalog(
  deps: ReportDeps,
  caller: Caller,
  raw: CatalogSearchInput,
): Promise<{ items: ReportView[]; nextCursor?: string }> {
  const input = parseInput(catalogSearchInput, raw);
  const orgId = orgOf(caller);
  const { thirdParty, ...rest } = input;
  const query: CatalogQuery = defined({
    ...rest,
    thirdParty: thirdParty === undefined ? undefined : thirdParty === 'true',
  });
  const within = await policyBounds(deps, caller);
  if (within) query.within = within;
  const page = await listReports(
    deps,
    orgId,
    query,
    async (report) => (await reportDecision(deps.authorizer, caller, 'portal:ListReports', report)) === 'Allow',
  );
  if (page.items.length === 0 && page.nextCursor === undefined && caller.kind === 'principal') {
    const { principal } = caller;
    const catalog = await deps.authorizer.authorize(
      principal,
      'portal:ListReports',
      reportArn(orgId, '*', principal.accountId),
    );
    if (catalog.decision === 'ExplicitDeny') {
      throw deniedError(catalog.decision, `Not allowed to portal:ListReports: ${catalog.reason}`);
    }
  }
  return page;
}
