import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  type LedgerFilters,
  ledgerExportUrl,
  useCheckpoints,
  useLedger,
  useSignCheckpoint,
  useVerifyLedger,
} from '../../api/ledger.js';
import type { LedgerEntry } from '../../api/types.js';
import { CursorPager } from '../../ui/cursor-pager.js';
import { formatDateTime, instantFromLocalInput, localInputFromInstant, shortHash } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

const filterNames = ['actor', 'action', 'accountId', 'from', 'to'] as const;

function actorName(entry: LedgerEntry): string {
  return entry.actor.email ?? entry.actor.id;
}

/** The audit trail: every act of the organization, hash-chained; filter, verify, export. */
export function LedgerPage() {
  const [params, setParams] = useSearchParams();
  const filters: LedgerFilters = {};
  for (const name of [...filterNames, 'cursor'] as const) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const ledger = useLedger(filters);
  const [draft, setDraft] = useState(() => ({
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    accountId: params.get('accountId') ?? '',
    from: params.get('from') ? localInputFromInstant(params.get('from') ?? '') : '',
    to: params.get('to') ? localInputFromInstant(params.get('to') ?? '') : '',
  }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.actor.trim()) next.set('actor', draft.actor.trim());
    if (draft.action.trim()) next.set('action', draft.action.trim());
    if (draft.accountId.trim()) next.set('accountId', draft.accountId.trim());
    const from = instantFromLocalInput(draft.from);
    const to = instantFromLocalInput(draft.to);
    if (from) next.set('from', from);
    if (to) next.set('to', to);
    setParams(next);
  };
  const field = (name: keyof typeof draft) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  return (
    <Page
      title="Audit trail"
      actions={
        <a className="button-secondary" href={ledgerExportUrl} download>
          Export (JSON Lines)
        </a>
      }
    >
      <p className="lead">
        Every act in your organization, append-only and hash-chained: editing, deleting or reordering any entry is
        detected by verification.
      </p>
      <Verification />
      <form className="filters" aria-label="Filter the audit trail" onSubmit={apply}>
        <div className="filter-row">
          <div className="field">
            <label htmlFor="ledger-actor">Actor id</label>
            <input id="ledger-actor" placeholder="u-…" {...field('actor')} />
          </div>
          <div className="field">
            <label htmlFor="ledger-action">Action</label>
            <input id="ledger-action" placeholder="agreement:Accepted" {...field('action')} />
          </div>
          <div className="field">
            <label htmlFor="ledger-account">Account</label>
            <input id="ledger-account" inputMode="numeric" placeholder="12 digits" {...field('accountId')} />
          </div>
          <div className="field">
            <label htmlFor="ledger-from">From (UTC)</label>
            <input id="ledger-from" type="datetime-local" step={1} {...field('from')} />
          </div>
          <div className="field">
            <label htmlFor="ledger-to">To (UTC)</label>
            <input id="ledger-to" type="datetime-local" step={1} {...field('to')} />
          </div>
          <button type="submit" className="button-primary">
            Filter
          </button>
        </div>
      </form>
      <Await query={ledger} what="the audit trail">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No entry matches.</Empty>
          ) : (
            <>
              <DataTable
                caption="Audit trail entries, newest first"
                columns={['#', 'Time', 'Actor', 'Action', 'Subject', 'Details']}
                testId="ledger-table"
              >
                {page.items.map((entry) => (
                  <tr key={entry.seq}>
                    <th scope="row">{entry.seq}</th>
                    <td>{formatDateTime(entry.time)}</td>
                    <td>{actorName(entry)}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td className="wrap">
                      <code>{entry.subject}</code>
                    </td>
                    <td>
                      <details>
                        <summary>Show</summary>
                        <pre className="json">{JSON.stringify(entry.details, null, 2)}</pre>
                        <p className="muted">leaf {shortHash(entry.leaf, 16)}</p>
                      </details>
                    </td>
                  </tr>
                ))}
              </DataTable>
              <CursorPager nextCursor={page.nextCursor} label="Audit trail" />
            </>
          )
        }
      </Await>
      <Checkpoints />
    </Page>
  );
}

function Verification() {
  const verify = useVerifyLedger();
  const result = verify.data;
  return (
    <section className="panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Integrity</h2>
      <button type="button" className="button-primary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : 'Verify the ledger'}
      </button>
      {verify.error && <ProblemBanner error={verify.error} />}
      {result && (
        <div className={result.valid ? 'notice' : 'problem'} role="status" data-testid="verify-result">
          {result.valid ? (
            <p>
              <strong>Intact.</strong> All {result.size} entries hash to Merkle root{' '}
              <code>{shortHash(result.merkleRoot, 16)}</code>
              {result.checkpoints.newest
                ? `; every signed checkpoint matches (the newest covers ${result.checkpoints.newest.size} entries), signatures ${result.checkpoints.signatures}.`
                : '; no checkpoint signed yet, so the entries are checked against each other only.'}
            </p>
          ) : (
            <>
              <p>
                <strong>Broken{result.firstBadSeq !== undefined ? ` at entry ${result.firstBadSeq}` : ''}.</strong>{' '}
                {result.reason}
              </p>
              <ul>
                {result.faults.map((fault) => (
                  <li key={`${fault.kind}:${fault.reason}`}>
                    <code>{fault.kind}</code> {fault.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function Checkpoints() {
  const checkpoints = useCheckpoints();
  const sign = useSignCheckpoint();
  return (
    <section className="panel" aria-labelledby="checkpoints-heading">
      <h2 id="checkpoints-heading">Signed checkpoints</h2>
      <p className="muted">
        A KMS-signed Merkle root of the entries, naming the checkpoint before it, taken whenever the ledger grows.
      </p>
      <button type="button" className="button-secondary" onClick={() => sign.mutate()} disabled={sign.isPending}>
        Sign a checkpoint now
      </button>
      {sign.error && <ProblemBanner error={sign.error} />}
      <Await query={checkpoints} what="the checkpoints">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No checkpoint yet.</Empty>
          ) : (
            <DataTable
              caption="Checkpoints, newest first"
              columns={['Entries', 'Time', 'Extends', 'Merkle root', 'Key']}
              testId="checkpoints-table"
            >
              {page.items.map((checkpoint) => (
                <tr key={checkpoint.size}>
                  <th scope="row">{checkpoint.size}</th>
                  <td>{formatDateTime(checkpoint.time)}</td>
                  <td>
                    {'format' in checkpoint
                      ? checkpoint.previous
                        ? `${checkpoint.previous.size} entries`
                        : 'the first'
                      : 'format v1'}
                  </td>
                  <td>
                    <code>{shortHash(checkpoint.merkleRoot, 16)}</code>
                  </td>
                  <td>
                    <code>{shortHash(checkpoint.keyFingerprint, 16)}</code>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </section>
  );
}
