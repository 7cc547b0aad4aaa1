import { Link } from 'react-router';
import { useAgreements, useCoverageMatrix } from '../../api/agreements.js';
import { formatDate } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

/** The agreement catalog with, for each, how many of the organization's accounts it covers now and how. */
export function AgreementsPage() {
  const agreements = useAgreements();
  const matrix = useCoverageMatrix(undefined);
  return (
    <Page title="Agreements">
      <p className="lead">
        Legal agreements you can accept for one account or for the whole organization. An organization-wide acceptance
        covers every member account, including accounts that join later. <Link to="/coverage">See coverage</Link>.
      </p>
      <Await query={agreements} what="the agreements">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No agreements are published yet.</Empty>
          ) : (
            <DataTable
              caption="Agreements"
              columns={['Agreement', 'Type', 'Latest revision', 'Status for your accounts']}
              testId="agreements-table"
            >
              {data.items.map((agreement) => {
                const cells = (matrix.data?.accounts ?? []).map((account) => ({
                  accountId: account.accountId,
                  cell: account.coverage[agreement.id],
                }));
                const covered = cells.filter((c) => c.cell?.covered);
                const viaOrg = covered.filter((c) => c.cell?.via === 'organization').length;
                return (
                  <tr key={agreement.id}>
                    <th scope="row">
                      <Link to={`/agreements/${agreement.id}`}>{agreement.name}</Link>
                      <div className="muted">{agreement.description}</div>
                    </th>
                    <td>{agreement.type}</td>
                    <td>
                      {agreement.latestRevision
                        ? `effective ${formatDate(agreement.latestRevision.effectiveDate)}`
                        : '—'}
                      {agreement.ndaRequired && <span className="badge">NDA first</span>}
                    </td>
                    <td>
                      {matrix.data ? (
                        covered.length === 0 ? (
                          <span className="coverage coverage-none">No account covered</span>
                        ) : (
                          <span className="coverage coverage-organization">
                            {covered.length} of {cells.length} accounts covered
                            {viaOrg > 0 ? ` (${viaOrg} via the organization)` : ''}
                          </span>
                        )
                      ) : matrix.error ? (
                        <span className="muted">Coverage not available to you</span>
                      ) : (
                        <span className="muted">…</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}
