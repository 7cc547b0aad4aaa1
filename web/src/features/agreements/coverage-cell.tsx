import type { CoverageMatrix } from '../../api/types.js';
import { formatDateTime } from '../../ui/format.js';

type Cell = CoverageMatrix['accounts'][number]['coverage'][string];

/** One account × agreement answer, in words (own acceptance wins over the org's, as the API decides). */
export function CoverageCell({ cell }: { cell: Cell | undefined }) {
  if (!cell?.covered) {
    return (
      <span className="coverage coverage-none" data-coverage="none">
        Not covered
      </span>
    );
  }
  const via = cell.via === 'organization' ? 'organization' : 'account';
  return (
    <span className={`coverage coverage-${via}`} data-coverage={via}>
      {via === 'organization' ? 'Covered via the organization' : 'Covered by its own acceptance'}
      {cell.since && <span className="coverage-since">since {formatDateTime(cell.since)}</span>}
    </span>
  );
}
