import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSimulate } from '../../api/org.js';
import { Choices, SelectField, TextField } from '../../ui/field.js';
import { Page } from '../../ui/page.js';
import { ProblemBanner } from '../../ui/states.js';
import { portalActions } from './portal-actions.js';

/** Would this user be allowed, and which statements decide? The question lives in the URL. */
export function SimulatorPage() {
  const [params, setParams] = useSearchParams();
  const simulate = useSimulate();
  const [form, setForm] = useState({
    principal: params.get('principal') ?? '',
    action: params.get('action') ?? 'portal:ListReports',
    resource: params.get('resource') ?? '*',
    roleId: params.get('roleId') ?? '',
    mfaPresent: params.get('mfa') !== 'false',
  });
  const asked = params.get('principal');
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run exactly when the question in the URL changes
  useEffect(() => {
    const principal = params.get('principal');
    const action = params.get('action');
    const resource = params.get('resource');
    if (principal && action && resource) {
      simulate.mutate({
        principal,
        action,
        resource,
        mfaPresent: params.get('mfa') !== 'false',
        ...(params.get('roleId') ? { roleId: params.get('roleId') ?? '' } : {}),
      });
    }
  }, [params.toString()]);
  const result = simulate.data;
  return (
    <Page title="Policy simulator">
      <p className="lead">
        Ask what the portal would answer a user — their policies, groups, an assumed role and the guardrails on their
        account — without them doing anything. Nothing is recorded.
      </p>
      <form
        className="simulator-form"
        onSubmit={(event) => {
          event.preventDefault();
          setParams({
            principal: form.principal.trim(),
            action: form.action,
            resource: form.resource.trim(),
            ...(form.roleId.trim() ? { roleId: form.roleId.trim() } : {}),
            ...(form.mfaPresent ? {} : { mfa: 'false' }),
          });
        }}
      >
        <TextField
          label="User (email or id)"
          name="principal"
          required
          value={form.principal}
          onChange={(e) => setForm({ ...form, principal: e.target.value })}
        />
        <SelectField
          label="Action"
          name="action"
          value={form.action}
          onChange={(e) => setForm({ ...form, action: e.target.value })}
        >
          <Choices options={portalActions.map((name) => ({ value: name, label: name }))} />
        </SelectField>
        <TextField
          label="Resource"
          name="resource"
          hint="An ARN such as arn:portal:o-…:555555555555:agreement/agr-hipaa-baa, or *"
          required
          value={form.resource}
          onChange={(e) => setForm({ ...form, resource: e.target.value })}
        />
        <TextField
          label="As role (optional)"
          name="roleId"
          hint="A role id, e.g. role-complianceofficer"
          value={form.roleId}
          onChange={(e) => setForm({ ...form, roleId: e.target.value })}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.mfaPresent}
            onChange={(e) => setForm({ ...form, mfaPresent: e.target.checked })}
          />
          The session passed MFA
        </label>
        <div className="form-actions">
          <button type="submit" className="button-primary">
            Simulate
          </button>
        </div>
      </form>
      {simulate.isPending && asked && (
        <p role="status" className="state">
          Evaluating…
        </p>
      )}
      {simulate.error && <ProblemBanner error={simulate.error} />}
      {result && (
        <section
          className={`decision decision-${result.decision === 'Allow' ? 'allow' : 'deny'}`}
          aria-labelledby="decision-heading"
          data-testid="simulation-result"
        >
          <h2 id="decision-heading">
            <span className="visually-hidden">Decision: </span>
            {result.decision}
          </h2>
          <p>{result.reason}</p>
          {result.matchedStatements.length > 0 && (
            <table className="table">
              <caption>Statements that decided</caption>
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Statement</th>
                  <th scope="col">Effect</th>
                  <th scope="col">Kind</th>
                </tr>
              </thead>
              <tbody>
                {result.matchedStatements.map((statement, index) => (
                  // The same guardrail can decide at several levels (root, OU, account): position is its identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <tr key={index}>
                    <th scope="row">{statement.policy}</th>
                    <td>{statement.sid ?? '—'}</td>
                    <td>{statement.effect}</td>
                    <td>{statement.source === 'guardrail' ? 'guardrail' : 'identity policy'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Page>
  );
}
