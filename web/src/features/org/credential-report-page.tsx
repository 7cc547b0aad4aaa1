import { useCredentialReport } from '../../api/org.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

export function CredentialReportPage() {
  const report = useCredentialReport();
  return (
    <Page title="Credential report">
      <Await query={report} what="the credential report">
        {(data) => (
          <>
            <p className="muted">Generated {formatDateTime(data.generatedAt)}</p>
            <DataTable
              caption="Credentials per user"
              columns={['User', 'Status', 'Password age', 'MFA', 'Last sign-in', 'Active sessions']}
              testId="credential-report"
            >
              {data.items.map((row) => (
                <tr key={row.userId}>
                  <th scope="row">
                    {row.email} <span className="muted">({row.accountId})</span>
                  </th>
                  <td>{row.status}</td>
                  <td>{row.passwordSet ? `${row.passwordAgeDays ?? 0} days` : 'not set'}</td>
                  <td>{row.mfaEnabled ? 'on' : <span className="badge badge-warn">off</span>}</td>
                  <td>{formatDateTime(row.lastSignInAt ?? undefined)}</td>
                  <td>{row.activeSessions}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </Await>
    </Page>
  );
}
