import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  useAcceptNda,
  useAgreement,
  useAgreementHistory,
  useAgreementNda,
  useAgreementRevision,
} from '../../api/agreements.js';
import { resources, usePermissions } from '../../api/permissions.js';
import type { Agreement, AgreementAcceptance } from '../../api/types.js';
import { formatDate, formatDateTime, shortHash } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { ResourceTags } from '../tags/resource-tags.js';
import { AcceptDialog, TerminateDialog } from './agreement-dialogs.js';

export function AgreementDetailPage() {
  const { id = '' } = useParams();
  const agreement = useAgreement(id);
  return (
    <Await query={agreement} what="the agreement">
      {(data) => <AgreementDetail agreement={data} />}
    </Await>
  );
}

function AgreementDetail({ agreement }: { agreement: Agreement }) {
  const [params, setParams] = useSearchParams();
  const history = useAgreementHistory(agreement.id);
  const permissions = usePermissions([
    { action: 'portal:AcceptAgreement', resource: resources.agreementForAccount(agreement.id) },
    { action: 'portal:AcceptAgreement', resource: resources.agreement(agreement.id) },
    { action: 'portal:TerminateAgreement', resource: resources.agreementForAccount(agreement.id) },
    { action: 'portal:TerminateAgreement', resource: resources.agreement(agreement.id) },
  ]);
  const canAccept = permissions.allowed(0) || permissions.allowed(1);
  const canTerminate = permissions.allowed(2) || permissions.allowed(3);
  const dialog = params.get('dialog');
  const setDialog = (value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set('dialog', value);
    else next.delete('dialog');
    setParams(next, { replace: value === undefined });
  };
  const active = (history.data?.items ?? []).filter((a) => a.status === 'active');
  return (
    <Page
      title={agreement.name}
      actions={
        <>
          {canAccept && agreement.latestRevision && (
            <button type="button" className="button-primary" onClick={() => setDialog('accept')}>
              Accept…
            </button>
          )}
          {canTerminate && active.length > 0 && (
            <button type="button" className="button-danger" onClick={() => setDialog('terminate')}>
              Terminate…
            </button>
          )}
        </>
      }
    >
      <p>
        <Link to="/agreements">← All agreements</Link>
      </p>
      <p className="lead">{agreement.description}</p>
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{agreement.type}</dd>
        </div>
        <div>
          <dt>Accepted by</dt>
          <dd>
            {agreement.subjects
              .map((s) => (s === 'organization' ? 'the whole organization' : 'one account'))
              .join(' or ')}
          </dd>
        </div>
        <div>
          <dt>Latest revision</dt>
          <dd>
            {agreement.latestRevision ? (
              <>
                <code>{agreement.latestRevision.id}</code>, effective{' '}
                {formatDate(agreement.latestRevision.effectiveDate)}
                <br />
                SHA-256 <code className="hash">{agreement.latestRevision.sha256}</code>
              </>
            ) : (
              'none yet'
            )}
          </dd>
        </div>
      </dl>
      <ResourceTags kind="agreement" id={agreement.id} />
      <RevisionText agreement={agreement} />
      <h2>Acceptance history</h2>
      <Await query={history} what="the acceptance history">
        {(data) => <History items={data.items} />}
      </Await>
      {dialog === 'accept' && agreement.latestRevision && (
        <AcceptDialog
          agreement={agreement}
          canOrganization={permissions.allowed(1) === true}
          canAccount={permissions.allowed(0) === true}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'terminate' && (
        <TerminateDialog agreement={agreement} active={active} onClose={() => setDialog(undefined)} />
      )}
    </Page>
  );
}

/** The revision's text, after the NDA step when the agreement has one. */
function RevisionText({ agreement }: { agreement: Agreement }) {
  const nda = useAgreementNda(agreement.id);
  const acceptNda = useAcceptNda(agreement.id);
  const ndaCleared = nda.data !== undefined && (!nda.data.required || nda.data.acceptedAt !== undefined);
  const revision = useAgreementRevision(agreement.id, agreement.latestRevision?.id, ndaCleared);
  const [agreed, setAgreed] = useState(false);
  if (!agreement.latestRevision) return null;
  return (
    <section className="panel" aria-labelledby="revision-heading">
      <h2 id="revision-heading">Text of the latest revision</h2>
      <Await query={nda} what="the NDA step">
        {(step) =>
          step.required && !step.acceptedAt ? (
            <div className="nda">
              <p>
                <strong>Step 1 of 2: non-disclosure.</strong> The text of this agreement is confidential. Accept the NDA
                to read it.
              </p>
              <blockquote className="agreement-text">{step.text}</blockquote>
              <label className="checkbox">
                <input type="checkbox" checked={agreed} onChange={(event) => setAgreed(event.target.checked)} />I accept
                this non-disclosure agreement (SHA-256 {shortHash(step.sha256, 16)}).
              </label>
              {acceptNda.error && <ProblemBanner error={acceptNda.error} />}
              <button
                type="button"
                className="button-primary"
                disabled={!agreed || acceptNda.isPending}
                onClick={() => step.sha256 && acceptNda.mutate(step.sha256)}
              >
                Accept NDA and show the text
              </button>
            </div>
          ) : (
            <Await query={revision} what="the revision text">
              {(text) =>
                text.markdown ? (
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
                  <section className="agreement-text" aria-label="Agreement text" tabIndex={0}>
                    {text.markdown}
                  </section>
                ) : (
                  <p>This revision is a PDF document.</p>
                )
              }
            </Await>
          )
        }
      </Await>
    </section>
  );
}

function History({ items }: { items: AgreementAcceptance[] }) {
  if (items.length === 0) return <Empty>Nobody in your organization has accepted this agreement.</Empty>;
  return (
    <DataTable
      caption="Acceptances, newest first"
      columns={['For', 'Revision', 'Accepted', 'Status']}
      actions="Coverage"
      testId="acceptance-history"
    >
      {items.map((item) => (
        <tr key={item.acceptanceId} data-acceptance={item.acceptanceId}>
          <th scope="row">{item.scope === 'organization' ? 'Whole organization' : `Account ${item.accountId}`}</th>
          <td>
            <code>{item.revisionId}</code>
            {item.revisionOutdated && <span className="badge badge-warn">Newer revision published</span>}
            <div className="muted">SHA-256 {shortHash(item.sha256, 16)}</div>
          </td>
          <td>
            <span data-accepted-at={item.acceptedAt}>{formatDateTime(item.acceptedAt)}</span>
            <div className="muted">by {item.acceptedBy.email}</div>
          </td>
          <td>
            <span className={item.status === 'active' ? 'badge badge-ok' : 'badge'}>{item.status}</span>
            {item.endedAt && <div className="muted">ended {formatDateTime(item.endedAt)}</div>}
          </td>
          <td>
            <Link to={`/coverage?at=${encodeURIComponent(item.acceptedAt)}`}>Coverage at that moment</Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
