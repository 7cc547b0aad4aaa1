import type { Report } from '../../api/types.js';
import { formatDate } from '../../ui/format.js';

/** Freshness flags, in words: what an auditor needs to know before relying on the report. */
export function FreshnessFlags({ report }: { report: Report }) {
  if (!report.bridgeLetterDue && !report.lapsingSoon) {
    return <span className="badge badge-ok">Current</span>;
  }
  return (
    <span className="flags">
      {report.bridgeLetterDue && (
        <span className="badge badge-warn" title="The newest period ended more than 12 months ago">
          Bridge letter due
        </span>
      )}
      {report.lapsingSoon && (
        <span className="badge badge-warn" title="The newest version lapses within 30 days">
          Lapses {formatDate(report.lapsesOn)}
        </span>
      )}
    </span>
  );
}
