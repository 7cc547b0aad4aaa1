import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAgreements } from '../../api/agreements.js';
import { type RequestEvidenceBundle, useRequestEvidenceBundle } from '../../api/evidence.js';
import { useAccounts } from '../../api/org.js';
import { useReports } from '../../api/reports.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { instantFromLocalInput } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';

const steps = ['Reports', 'Agreements and accounts', 'Audit trail', 'Auditor and purpose'] as const;

interface Draft {
  reports: Record<string, number>;
  agreementIds: string[];
  accountIds: string[];
  asOf: string;
  fromSeq: string;
  toSeq: string;
  recipientPublicKeyPem: string;
  purpose: string;
}

const toggle = (list: string[], value: string) =>
  list.includes(value) ? list.filter((item) => item !== value) : [...list, value];

/** The export wizard: what goes in, for which accounts and date, which ledger range, for whom and why. */
export function ExportWizard() {
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>({
    reports: {},
    agreementIds: [],
    accountIds: [],
    asOf: '',
    fromSeq: '',
    toSeq: '',
    recipientPublicKeyPem: '',
    purpose: '',
  });
  const reports = useReports({});
  const agreements = useAgreements();
  const accounts = useAccounts();
  const request = useRequestEvidenceBundle();
  const navigate = useNavigate();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (step < steps.length - 1) {
      setStep(step + 1);
      return;
    }
    const asOf = instantFromLocalInput(draft.asOf);
    const body: RequestEvidenceBundle = {
      purpose: draft.purpose,
      reports: Object.entries(draft.reports).map(([reportId, version]) => ({ reportId, version })),
      agreementIds: draft.agreementIds,
      accountIds: draft.accountIds,
      ...(asOf ? { asOf } : {}),
      ...(draft.fromSeq && draft.toSeq
        ? { ledger: { fromSeq: Number(draft.fromSeq), toSeq: Number(draft.toSeq) } }
        : {}),
      ...(draft.recipientPublicKeyPem.trim() ? { recipientPublicKeyPem: draft.recipientPublicKeyPem.trim() } : {}),
    } as RequestEvidenceBundle;
    const bundle = await request.mutateAsync(body).catch(() => undefined);
    if (bundle) navigate(`/evidence/${bundle.bundleId}`);
  };

  return (
    <Page title="New evidence bundle">
      <ol className="steps" aria-label="Steps">
        {steps.map((name, i) => (
          <li key={name} aria-current={i === step ? 'step' : undefined}>
            {i + 1}. {name}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} aria-label={steps[step]}>
        <h2>{steps[step]}</h2>
        {step === 0 && (
          <Await query={reports} what="the reports">
            {(page) => (
              <fieldset>
                <legend>Report versions to include, each watermarked for you (accept their terms first)</legend>
                {page.items
                  .filter((report) => report.latest)
                  .map((report) => (
                    <label key={report.id} className="checkbox">
                      <input
                        type="checkbox"
                        checked={draft.reports[report.id] !== undefined}
                        onChange={() => {
                          const next = { ...draft.reports };
                          if (next[report.id] !== undefined) delete next[report.id];
                          else next[report.id] = report.latest?.version ?? 1;
                          setDraft({ ...draft, reports: next });
                        }}
                      />
                      {report.name} (v{report.latest?.version})
                    </label>
                  ))}
              </fieldset>
            )}
          </Await>
        )}
        {step === 1 && (
          <>
            <Await query={agreements} what="the agreements">
              {({ items }) => (
                <fieldset>
                  <legend>Agreements: their acceptances and the coverage of the accounts below</legend>
                  {items.map((agreement) => (
                    <label key={agreement.id} className="checkbox">
                      <input
                        type="checkbox"
                        checked={draft.agreementIds.includes(agreement.id)}
                        onChange={() => setDraft({ ...draft, agreementIds: toggle(draft.agreementIds, agreement.id) })}
                      />
                      {agreement.name}
                    </label>
                  ))}
                </fieldset>
              )}
            </Await>
            <Await query={accounts} what="the accounts">
              {({ items }) => (
                <fieldset>
                  <legend>Accounts the bundle covers</legend>
                  {items.map((account) => (
                    <label key={account.accountId} className="checkbox">
                      <input
                        type="checkbox"
                        checked={draft.accountIds.includes(account.accountId)}
                        onChange={() => setDraft({ ...draft, accountIds: toggle(draft.accountIds, account.accountId) })}
                      />
                      {account.name} ({account.accountId})
                    </label>
                  ))}
                </fieldset>
              )}
            </Await>
            <TextField
              label="Coverage as of (default: now)"
              type="datetime-local"
              value={draft.asOf}
              onChange={(e) => setDraft({ ...draft, asOf: e.target.value })}
              errors={errorsFor(request.error, 'asOf')}
            />
          </>
        )}
        {step === 2 && (
          <>
            <p>
              Ledger entries to prove, with the signed checkpoint that covers them (leave empty for none; at most
              10,000).
            </p>
            <TextField
              label="From entry (seq)"
              inputMode="numeric"
              value={draft.fromSeq}
              onChange={(e) => setDraft({ ...draft, fromSeq: e.target.value })}
            />
            <TextField
              label="To entry (seq)"
              inputMode="numeric"
              value={draft.toSeq}
              onChange={(e) => setDraft({ ...draft, toSeq: e.target.value })}
              errors={errorsFor(request.error, 'ledger')}
            />
          </>
        )}
        {step === 3 && (
          <>
            <div className="field">
              <label htmlFor="recipient-key">Auditor’s RSA public key (PEM, optional)</label>
              <p className="field-hint" id="recipient-key-hint">
                With it the auditor decrypts the bundle offline with their private key; without it only your
                organization can open it.
              </p>
              <textarea
                id="recipient-key"
                aria-describedby="recipient-key-hint"
                rows={6}
                value={draft.recipientPublicKeyPem}
                onChange={(e) => setDraft({ ...draft, recipientPublicKeyPem: e.target.value })}
              />
              {errorsFor(request.error, 'recipientPublicKeyPem').map((message) => (
                <p key={message} className="field-errors">
                  {message}
                </p>
              ))}
            </div>
            <TextField
              label="Purpose or audit name"
              required
              value={draft.purpose}
              onChange={(e) => setDraft({ ...draft, purpose: e.target.value })}
              errors={errorsFor(request.error, 'purpose')}
            />
          </>
        )}
        {request.error ? <ProblemBanner error={request.error} /> : null}
        <div className="actions">
          {step > 0 && (
            <button type="button" className="button-secondary" onClick={() => setStep(step - 1)}>
              Back
            </button>
          )}
          <button type="submit" className="button" disabled={request.isPending}>
            {step < steps.length - 1 ? 'Next' : 'Export'}
          </button>
        </div>
      </form>
    </Page>
  );
}
