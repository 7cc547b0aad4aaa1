import { useCredentialReport } from '../../api/org.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';

export function CredentialReportPage() {
  const report = useCredentialReport();
  return (
    <Page title="Credential report">
      <Await query={report} what="the credential report">
        {(data) => (
          <>
            <p className="muted">Generated {formatDateTime(data.generatedAt)}</p>
            <table className="table" data-testid="credential-report">
              <caption className="visually-hidden">Credentials per user</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Status</th>
                  <th scope="col">Password age</th>
                  <th scope="col">MFA</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Active sessions</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </>
        )}
      </Await>
    </Page>
  );
}
