import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCoverageMatrix } from '../../api/agreements.js';
import { useAccounts } from '../../api/org.js';
import { formatDateTime, instantFromLocalInput, localInputFromInstant } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';
import { CoverageCell } from './coverage-cell.js';

/** Accounts × agreements, now or at any past instant: which accounts were covered, and through what. */
export function CoveragePage() {
  const [params, setParams] = useSearchParams();
  const at = params.get('at') ?? undefined;
  const matrix = useCoverageMatrix(at);
  const accounts = useAccounts();
  const [value, setValue] = useState(at ? localInputFromInstant(at) : '');
  useEffect(() => setValue(at ? localInputFromInstant(at) : ''), [at]);
  const names = new Map((accounts.data?.items ?? []).map((a) => [a.accountId, a.name]));
  return (
    <Page title="Coverage">
      <p className="lead">
        Which agreement covers which account, through its own acceptance or the organization’s. Pick an instant to see
        how it stood then (answered from the audit trail).
      </p>
      <form
        className="inline-form"
        aria-label="Point in time"
        onSubmit={(event) => {
          event.preventDefault();
          const instant = instantFromLocalInput(value);
          setParams(instant ? { at: instant } : {});
        }}
      >
        <div className="field">
          <label htmlFor="coverage-at">As of (UTC)</label>
          <input
            id="coverage-at"
            type="datetime-local"
            step={1}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
        <button type="submit" className="button-primary">
          Show coverage
        </button>
        {at && (
          <button type="button" className="button-secondary" onClick={() => setParams({})}>
            Now
          </button>
        )}
      </form>
      <Await query={matrix} what="coverage">
        {(data) => (
          <>
            <p className="muted" role="status">
              As of {formatDateTime(data.at)}
            </p>
            <div className="table-scroll">
              <table className="table matrix" data-testid="coverage-matrix">
                <caption className="visually-hidden">Coverage of accounts by agreements</caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    {data.agreements.map((agreement) => (
                      <th scope="col" key={agreement.agreementId}>
                        <Link to={`/agreements/${agreement.agreementId}`}>{agreement.name}</Link>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.accounts.map((account) => (
                    <tr key={account.accountId} data-account={account.accountId}>
                      <th scope="row">
                        {names.get(account.accountId) ?? 'Account'} <code>{account.accountId}</code>
                      </th>
                      {data.agreements.map((agreement) => (
                        <td key={agreement.agreementId} data-agreement={agreement.agreementId}>
                          <CoverageCell cell={account.coverage[agreement.agreementId]} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Await>
    </Page>
  );
}
