import { Link, useParams, useSearchParams } from 'react-router';
import { resources, usePermissions } from '../../api/permissions.js';
import { useReport, useReportVersions } from '../../api/reports.js';
import { formatBytes, formatDate, formatDateTime, shortHash } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { ResourceTags } from '../tags/resource-tags.js';
import { FreshnessFlags } from './freshness.js';
import { TermsDialog } from './terms-dialog.js';

export function ReportDetailPage() {
  const { id = '' } = useParams();
  const report = useReport(id);
  return (
    <Await query={report} what="the report">
      {(data) => <ReportDetail report={data} />}
    </Await>
  );
}

function ReportDetail({ report }: { report: NonNullable<ReturnType<typeof useReport>['data']> }) {
  const versions = useReportVersions(report.id);
  const [params, setParams] = useSearchParams();
  const context = { 'portal:ReportCategory': report.category, 'portal:ReportSeries': report.series };
  const permissions = usePermissions([
    { action: 'portal:DownloadReport', resource: resources.report(report.id), context },
  ]);
  const canDownload = permissions.allowed(0);
  const termsFor = params.get('terms');
  const openTerms = (version: number) => {
    const next = new URLSearchParams(params);
    next.set('terms', String(version));
    setParams(next);
  };
  const closeTerms = () => {
    const next = new URLSearchParams(params);
    next.delete('terms');
    setParams(next, { replace: true });
  };
  return (
    <Page title={report.name}>
      <p>
        <Link to="/reports">← All reports</Link>
      </p>
      <p className="lead">{report.description}</p>
      <dl className="facts">
        <div>
          <dt>Category</dt>
          <dd>{report.category}</dd>
        </div>
        <div>
          <dt>Series</dt>
          <dd>{report.series}</dd>
        </div>
        <div>
          <dt>Company</dt>
          <dd>
            {report.company}
            {report.thirdParty ? ' (third-party report)' : ''}
          </dd>
        </div>
        <div>
          <dt>Freshness</dt>
          <dd>
            <FreshnessFlags report={report} />
            {report.bridgeLetterDue && (
              <p className="muted">
                The newest period ended more than 12 months ago: ask the company for a bridge letter covering the gap.
              </p>
            )}
          </dd>
        </div>
        <div>
          <dt>Periods covered</dt>
          <dd>
            <ul className="periods">
              {report.periods.map(([start, end]) => (
                <li key={`${start}-${end}`}>
                  {formatDate(start)} – {formatDate(end)}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <ResourceTags kind="report" id={report.id} context={context} />
      <h2>Versions</h2>
      {canDownload === false && (
        <p className="notice" role="status">
          Your access lets you read this report’s details but not download it.
        </p>
      )}
      <Await query={versions} what="the versions">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No version is available yet.</Empty>
          ) : (
            <DataTable
              caption="Versions, newest first"
              columns={['Version', 'Period', 'Effective', 'Document', 'Status']}
              actions
              testId="versions-table"
            >
              {data.items.map((version) => (
                <tr key={version.version}>
                  <th scope="row">v{version.version}</th>
                  <td>
                    {formatDate(version.periodStart)} – {formatDate(version.periodEnd)}
                  </td>
                  <td>{formatDate(version.effectiveDate)}</td>
                  <td>
                    {version.pageCount ?? '—'} pages · {formatBytes(version.size)}
                    <br />
                    <span className="muted">
                      SHA-256 <code title={version.sha256}>{shortHash(version.sha256)}</code>
                    </span>
                  </td>
                  <td>
                    {version.lapsed ? (
                      <span className="badge badge-warn">Lapsed {formatDate(version.lapsesOn)}</span>
                    ) : version.lapsingSoon ? (
                      <span className="badge badge-warn">Lapses {formatDate(version.lapsesOn)}</span>
                    ) : (
                      <span className="badge badge-ok">Published {formatDateTime(version.uploadedAt)}</span>
                    )}
                  </td>
                  <td>
                    {canDownload && version.uploadState === 'COMPLETE' && (
                      <button type="button" className="button-secondary" onClick={() => openTerms(version.version)}>
                        Download v{version.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
      {termsFor && canDownload && <TermsDialog report={report} version={Number(termsFor)} onClose={closeTerms} />}
    </Page>
  );
}
