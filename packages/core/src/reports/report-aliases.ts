import { ConditionFailedError } from '../errors.js';
import type { Store, WriteOp } from '../ports/store.js';
import { publicAlias } from '../public-alias.js';
import type { ReportCatalog } from './report-catalog.js';
import { reportKeys } from './report-keys.js';

/**
 * A report's public alias (`report-…`, the Artifact API's id) -> its id: one item per report, written
 * in the transaction that creates the report, so resolving an alias is one read, never a catalog scan.
 */
export function reportAliasOp(reportId: string): WriteOp {
  return {
    kind: 'put',
    item: { ...reportKeys.alias(publicAlias('report', reportId)), type: 'ReportAlias', reportId },
    condition: { kind: 'notExists' },
  };
}

export async function reportIdOfAlias(store: Store, alias: string): Promise<string | undefined> {
  const item = await store.get(reportKeys.alias(alias));
  return typeof item?.reportId === 'string' ? item.reportId : undefined;
}

/** Writes the alias items of reports created before aliases were stored; idempotent (present ones stay). */
export async function backfillReportAliases(deps: { store: Store; catalog: ReportCatalog }): Promise<number> {
  let written = 0;
  for (const report of await deps.catalog.all()) {
    const op = reportAliasOp(report.id);
    if (op.kind !== 'put') continue;
    try {
      await deps.store.put(op.item, op.condition);
      written++;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  return written;
}
