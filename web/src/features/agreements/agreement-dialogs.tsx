import { useState } from 'react';
import { useAcceptAgreement, useCoverageMatrix, useTerminateAgreement } from '../../api/agreements.js';
import { useAccounts } from '../../api/org.js';
import { useMe } from '../../api/session.js';
import type { Agreement, AgreementAcceptance } from '../../api/types.js';
import { Dialog, DialogActions } from '../../ui/dialog.js';
import { ProblemBanner } from '../../ui/states.js';

function useAccountsAndMe() {
  return { accounts: useAccounts(), me: useMe(), matrix: useCoverageMatrix(undefined) };
}

type Target = { scope: 'organization' } | { scope: 'account'; accountId: string };

/**
 * Accept the latest revision for one account or the whole organization. The confirmation names the exact
 * revision and its SHA-256, which the acceptance records. An MFA step-up opens when the API asks for it.
 */
export function AcceptDialog({
  agreement,
  canOrganization,
  canAccount,
  onClose,
}: {
  agreement: Agreement;
  canOrganization: boolean;
  canAccount: boolean;
  onClose: () => void;
}) {
  const { accounts, me } = useAccountsAndMe();
  const accept = useAcceptAgreement(agreement.id);
  const ownAccount = me.data?.account.accountId ?? '';
  const orgAllowed = canOrganization && agreement.subjects.includes('organization');
  const [scope, setScope] = useState<'organization' | 'account'>(orgAllowed ? 'organization' : 'account');
  const [accountId, setAccountId] = useState(ownAccount);
  const [confirmed, setConfirmed] = useState(false);
  const revision = agreement.latestRevision;
  if (!revision) return null;
  const target: Target = scope === 'organization' ? { scope } : { scope, accountId: accountId || ownAccount };
  const targetName =
    target.scope === 'organization'
      ? `the whole organization (${me.data?.organization.name ?? ''}), every member account now and later`
      : `account ${target.accountId}`;
  return (
    <Dialog title={`Accept ${agreement.name}`} open onClose={onClose} wide>
      {accept.isSuccess ? (
        <div role="status" className="notice" data-testid="accept-done">
          <p>
            Accepted for {targetName}. Acceptance <code>{accept.data.acceptanceId}</code> is in your audit trail.
          </p>
          <button type="button" className="button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            accept.mutate({
              ...target,
              revisionId: revision.id,
            });
          }}
        >
          <fieldset>
            <legend>Accept for</legend>
            {agreement.subjects.includes('organization') && (
              <label className="radio">
                <input
                  type="radio"
                  name="scope"
                  value="organization"
                  checked={scope === 'organization'}
                  disabled={!orgAllowed}
                  onChange={() => setScope('organization')}
                />
                The whole organization (every member account, including accounts that join later)
                {!orgAllowed && ' — not allowed for you'}
              </label>
            )}
            {agreement.subjects.includes('account') && (
              <label className="radio">
                <input
                  type="radio"
                  name="scope"
                  value="account"
                  checked={scope === 'account'}
                  disabled={!canAccount}
                  onChange={() => setScope('account')}
                />
                One account
              </label>
            )}
            {scope === 'account' && (
              <div className="field">
                <label htmlFor="accept-account">Account</label>
                <select id="accept-account" value={accountId} onChange={(event) => setAccountId(event.target.value)}>
                  {(accounts.data?.items ?? [{ accountId: ownAccount, name: 'My account' }]).map((account) => (
                    <option key={account.accountId} value={account.accountId}>
                      {account.name} ({account.accountId})
                    </option>
                  ))}
                </select>
              </div>
            )}
          </fieldset>
          <div className="confirmation" data-testid="accept-confirmation">
            <p>You are about to accept, on behalf of {targetName}:</p>
            <dl className="facts">
              <div>
                <dt>Agreement</dt>
                <dd>{agreement.name}</dd>
              </div>
              <div>
                <dt>Revision</dt>
                <dd>
                  <code>{revision.id}</code>, effective {revision.effectiveDate}
                </dd>
              </div>
              <div>
                <dt>SHA-256 of its text</dt>
                <dd>
                  <code className="hash">{revision.sha256}</code>
                </dd>
              </div>
            </dl>
            <label className="checkbox">
              <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} />I
              have read revision {revision.id} and accept it for{' '}
              {target.scope === 'organization' ? 'the whole organization' : `account ${target.accountId}`}.
            </label>
          </div>
          {accept.error && <ProblemBanner error={accept.error} />}
          <DialogActions onCancel={onClose}>
            <button type="submit" className="button-primary" disabled={!confirmed || accept.isPending}>
              {accept.isPending ? 'Accepting…' : 'Accept agreement'}
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

/** Terminate an active acceptance, saying first which accounts lose coverage (and which keep it, and why). */
export function TerminateDialog({
  agreement,
  active,
  onClose,
}: {
  agreement: Agreement;
  active: AgreementAcceptance[];
  onClose: () => void;
}) {
  const { matrix, accounts } = useAccountsAndMe();
  const terminate = useTerminateAgreement(agreement.id);
  const [choice, setChoice] = useState(active[0]?.acceptanceId ?? '');
  const [confirmed, setConfirmed] = useState(false);
  const chosen = active.find((a) => a.acceptanceId === choice);
  const names = new Map((accounts.data?.items ?? []).map((a) => [a.accountId, a.name]));
  const orgActive = active.some((a) => a.scope === 'organization');
  const rows = (matrix.data?.accounts ?? []).map((account) => ({
    accountId: account.accountId,
    cell: account.coverage[agreement.id],
  }));
  const losing = !chosen
    ? []
    : chosen.scope === 'organization'
      ? rows.filter((r) => r.cell?.covered && r.cell.via === 'organization').map((r) => r.accountId)
      : orgActive
        ? []
        : [chosen.accountId ?? ''];
  const keeping =
    chosen?.scope === 'organization'
      ? rows.filter((r) => r.cell?.covered && r.cell.via === 'account').map((r) => r.accountId)
      : [];
  return (
    <Dialog title={`Terminate ${agreement.name}`} open onClose={onClose} wide>
      {terminate.isSuccess ? (
        <div role="status" className="notice" data-testid="terminate-done">
          <p>Terminated. The termination is in your audit trail; earlier coverage stays answerable by date.</p>
          <button type="button" className="button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!chosen) return;
            terminate.mutate(
              chosen.scope === 'organization'
                ? { scope: 'organization' }
                : { scope: 'account', accountId: chosen.accountId ?? '' },
            );
          }}
        >
          <fieldset>
            <legend>Acceptance to terminate</legend>
            {active.map((acceptance) => (
              <label className="radio" key={acceptance.acceptanceId}>
                <input
                  type="radio"
                  name="acceptance"
                  value={acceptance.acceptanceId}
                  checked={choice === acceptance.acceptanceId}
                  onChange={() => setChoice(acceptance.acceptanceId)}
                />
                {acceptance.scope === 'organization'
                  ? 'The organization-wide acceptance'
                  : `The acceptance of account ${acceptance.accountId}`}{' '}
                (revision {acceptance.revisionId})
              </label>
            ))}
          </fieldset>
          <div className="consequences" data-testid="terminate-consequences">
            <h3>What happens</h3>
            {losing.length === 0 ? (
              <p>
                No account loses coverage:{' '}
                {orgActive ? 'the organization-wide acceptance still covers it.' : 'none was covered through it.'}
              </p>
            ) : (
              <>
                <p>
                  <strong>
                    {losing.length} {losing.length === 1 ? 'account loses' : 'accounts lose'} coverage at once:
                  </strong>
                </p>
                <ul>
                  {losing.map((accountId) => (
                    <li key={accountId}>
                      {names.get(accountId) ?? 'Account'} <code>{accountId}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {keeping.length > 0 && (
              <p>
                Keep coverage through their own acceptance:{' '}
                {keeping.map((accountId) => `${names.get(accountId) ?? 'Account'} (${accountId})`).join(', ')}.
              </p>
            )}
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} />I
            understand {losing.length === 1 ? 'this account loses' : `these ${losing.length} accounts lose`} coverage.
          </label>
          {terminate.error && <ProblemBanner error={terminate.error} />}
          <DialogActions onCancel={onClose}>
            <button type="submit" className="button-danger" disabled={!confirmed || !chosen || terminate.isPending}>
              {terminate.isPending ? 'Terminating…' : 'Terminate'}
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
