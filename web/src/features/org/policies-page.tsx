import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCreatePolicy, usePolicies } from '../../api/org.js';
import { ApiProblem } from '../../api/problem.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { useCanManage } from './org-layout.js';
import { PolicyEditor } from './policy-editor.js';

const starter = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSocReports",
      "Effect": "Allow",
      "Action": ["portal:ListReports", "portal:GetReport"],
      "Resource": "*",
      "Condition": { "StringEquals": { "portal:ReportCategory": "SOC" } }
    }
  ]
}`;

export function PoliciesPage() {
  const policies = usePolicies();
  const canManage = useCanManage('access');
  const [params, setParams] = useSearchParams();
  const selected = params.get('policy');
  const creating = params.get('new') === '1';
  return (
    <Page
      title="Policies"
      actions={
        canManage &&
        !creating && (
          <button type="button" className="button-primary" onClick={() => setParams({ new: '1' })}>
            New policy
          </button>
        )
      }
    >
      {creating && <NewPolicy onDone={(policyId) => setParams({ policy: policyId })} />}
      <Await query={policies} what="the policies">
        {(data) => {
          const shown =
            data.items.find((p) => p.policyId === selected) ?? data.managed.find((p) => p.name === selected);
          return (
            <div className="two-columns">
              <div>
                <h2>Customer-managed</h2>
                <ul className="link-list">
                  {data.items.map((policy) => (
                    <li key={policy.policyId}>
                      <Link
                        to={`?policy=${policy.policyId}`}
                        aria-current={selected === policy.policyId ? 'true' : undefined}
                      >
                        {policy.name}
                      </Link>
                      <span className="muted"> {policy.description}</span>
                    </li>
                  ))}
                </ul>
                <h2>Managed by the portal</h2>
                <ul className="link-list">
                  {data.managed.map((policy) => (
                    <li key={policy.name}>
                      <Link to={`?policy=${policy.name}`} aria-current={selected === policy.name ? 'true' : undefined}>
                        {policy.name}
                      </Link>
                      <span className="muted"> {policy.description}</span>
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                {shown ? (
                  <section className="panel" aria-labelledby="policy-shown">
                    <h2 id="policy-shown">{shown.name}</h2>
                    <p className="muted">
                      {shown.description}
                      {'updatedAt' in shown && ` · changed ${formatDateTime(String(shown.updatedAt))}`}
                    </p>
                    <pre className="json">{JSON.stringify(shown.document, null, 2)}</pre>
                  </section>
                ) : (
                  <p className="muted">Choose a policy to read its document.</p>
                )}
              </div>
            </div>
          );
        }}
      </Await>
    </Page>
  );
}

function NewPolicy({ onDone }: { onDone: (policyId: string) => void }) {
  const create = useCreatePolicy();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [text, setText] = useState(starter);
  const documentErrors =
    create.error instanceof ApiProblem
      ? create.error.errors
          .filter((e) => e.path.startsWith('document'))
          .map((e) => ({ path: e.path.replace(/^document\.?/, ''), message: e.message }))
      : [];
  let parsed: unknown;
  let parses = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    parses = false;
  }
  return (
    <section className="panel" aria-labelledby="new-policy">
      <h2 id="new-policy">New policy</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!parses) return;
          try {
            const policy = await create.mutateAsync({ name, description, document: parsed });
            onDone(policy.policyId);
          } catch {
            /* errors shown at their paths */
          }
        }}
      >
        <TextField
          label="Name"
          name="policyName"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errorsFor(create.error, 'name')}
        />
        <TextField
          label="Description"
          name="policyDescription"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <PolicyEditor value={text} onChange={setText} errors={documentErrors} />
        {create.error && documentErrors.length === 0 && errorsFor(create.error, 'name').length === 0 && (
          <ProblemBanner error={create.error} />
        )}
        {create.isSuccess && (
          <p className="notice" role="status">
            Saved.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={create.isPending || !parses}>
            Save policy
          </button>
        </div>
      </form>
    </section>
  );
}
