import type { IdGenerator } from '../ports/runtime.js';
import type { Item, Store, WriteOp } from '../ports/store.js';
import { reportKeys } from './report-keys.js';
import type { Report } from './report-model.js';

/** A chunk stays well under DynamoDB's 400 KB item limit. */
const defaultChunkBytes = 300_000;

function chunkReports(item: Item | undefined): Report[] {
  return item ? (JSON.parse(String(item.reports)) as Report[]) : [];
}

/**
 * The whole catalog as a few denormalized chunk items plus a head naming their count and a stamp
 * that changes on every write. Reading costs one `get` (head) and, unless this process already holds
 * that stamp, one `batchGet` (chunks): at most two store calls however many versions exist. Writes
 * go in the same transaction as the report item, conditioned on the stamps they read.
 */
export class ReportCatalog {
  private cache: { stamp: string; reports: readonly Report[] } | undefined;
  /** Each catalog read's reports by category, and the partitions asked for, built on first use. */
  private readonly byCategory = new WeakMap<
    readonly Report[],
    { index: Map<string, Report[]>; asked: Map<string, readonly Report[]> }
  >();

  constructor(
    private readonly store: Store,
    private readonly ids: IdGenerator,
    private readonly chunkBytes = defaultChunkBytes,
  ) {}

  /**
   * Frozen: a read is shared by every request until the stamp changes, and listings keep their sorted
   * orders per read (catalog-query.ts).
   */
  async all(): Promise<readonly Report[]> {
    const head = await this.store.get(reportKeys.catalogHead());
    if (!head) return [];
    const stamp = String(head.stamp);
    if (this.cache?.stamp === stamp) return this.cache.reports;
    const count = Number(head.chunks);
    const items = await this.store.batchGet(Array.from({ length: count }, (_, i) => reportKeys.catalogChunk(i)));
    const reports = Object.freeze(items.sort((a, b) => (a.sk < b.sk ? -1 : 1)).flatMap((item) => chunkReports(item)));
    // Cache only a consistent read: the chunk written with the head carries the head's stamp.
    if (items.length === count && items.some((item) => item.stamp === stamp)) this.cache = { stamp, reports };
    return reports;
  }

  /**
   * The catalog's partitions of these categories (all of it without a set), in catalog order within
   * each; the same frozen array for the same read and categories.
   */
  async inCategories(categories?: ReadonlySet<string>): Promise<readonly Report[]> {
    const reports = await this.all();
    if (categories === undefined) return reports;
    let partitions = this.byCategory.get(reports);
    if (!partitions) {
      const index = new Map<string, Report[]>();
      for (const report of reports) {
        const partition = index.get(report.category);
        if (partition) partition.push(report);
        else index.set(report.category, [report]);
      }
      partitions = { index, asked: new Map() };
      this.byCategory.set(reports, partitions);
    }
    const names = [...categories];
    const key = JSON.stringify(names);
    let asked = partitions.asked.get(key);
    if (!asked) {
      const { index } = partitions;
      asked = Object.freeze(names.flatMap((category) => index.get(category) ?? []));
      // Bounded: policies name few category sets; an unusual caller cannot grow this without limit.
      if (partitions.asked.size < 64) partitions.asked.set(key, asked);
    }
    return asked;
  }

  /** The writes that put `report` into the catalog, and the chunk it lives in. */
  async upsertOps(report: Report, assignedChunk: number | undefined): Promise<{ ops: WriteOp[]; chunk: number }> {
    const head = await this.store.get(reportKeys.catalogHead(), { consistent: true });
    const chunks = head ? Number(head.chunks) : 0;
    let chunk = assignedChunk ?? Math.max(0, chunks - 1);
    let current =
      chunk < chunks ? await this.store.get(reportKeys.catalogChunk(chunk), { consistent: true }) : undefined;
    let reports = [...chunkReports(current).filter((entry) => entry.id !== report.id), report];
    if (assignedChunk === undefined && current && JSON.stringify(reports).length > this.chunkBytes) {
      chunk = chunks;
      current = undefined;
      reports = [report];
    }
    const stamp = this.ids.newId();
    return {
      chunk,
      ops: [
        {
          kind: 'put',
          item: { ...reportKeys.catalogChunk(chunk), stamp, reports: JSON.stringify(reports) },
          condition: current
            ? { kind: 'equals', attribute: 'stamp', value: String(current.stamp) }
            : { kind: 'notExists' },
        },
        {
          kind: 'put',
          item: { ...reportKeys.catalogHead(), stamp, chunks: Math.max(chunks, chunk + 1) },
          condition: head ? { kind: 'equals', attribute: 'stamp', value: String(head.stamp) } : { kind: 'notExists' },
        },
      ],
    };
  }

  /**
   * Rewrites the catalog from report items (repair after a restore, bulk loads). Chunks first, the head
   * last, so readers see the old catalog or the whole new one. Returns each report's chunk.
   */
  async rebuild(reports: readonly Report[]): Promise<Map<string, number>> {
    const chunks: Report[][] = [[]];
    let size = 2;
    for (const report of reports) {
      const entry = JSON.stringify(report).length + 1;
      if (size + entry > this.chunkBytes && (chunks.at(-1)?.length ?? 0) > 0) {
        chunks.push([]);
        size = 2;
      }
      chunks.at(-1)?.push(report);
      size += entry;
    }
    const stamp = this.ids.newId();
    const assignment = new Map<string, number>();
    for (const [index, chunk] of chunks.entries()) {
      await this.store.put({ ...reportKeys.catalogChunk(index), stamp, reports: JSON.stringify(chunk) });
      for (const report of chunk) assignment.set(report.id, index);
    }
    await this.store.put({ ...reportKeys.catalogHead(), stamp, chunks: chunks.length });
    return assignment;
  }
}
