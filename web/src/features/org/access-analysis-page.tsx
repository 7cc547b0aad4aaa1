import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAccessAnalysis } from '../../api/org.js';
import { Choices, SelectField, TextField } from '../../ui/field.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { portalActions } from './portal-actions.js';

/** Who can do this? The same evaluation for every user and every role as each trusted user would assume it. */
export function AccessAnalysisPage() {
  const [params, setParams] = useSearchParams();
  const question =
    params.get('action') && params.get('resource')
      ? { action: params.get('action') ?? '', resource: params.get('resource') ?? '' }
      : undefined;
  const analysis = useAccessAnalysis(question);
  const [action, setAction] = useState(question?.action ?? 'portal:AcceptAgreement');
  const [resource, setResource] = useState(question?.resource ?? '*');
  return (
    <Page title="Access analysis">
      <form
        className="filter-row"
        onSubmit={(event) => {
          event.preventDefault();
          setParams({ action, resource });
        }}
      >
        <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <Choices options={portalActions.map((name) => ({ value: name, label: name }))} />
        </SelectField>
        <TextField
          label="Resource"
          hint="An ARN such as arn:portal:o-…:333333333333:agreement/agr-hipaa-baa, or *"
          required
          value={resource}
          onChange={(e) => setResource(e.target.value)}
        />
        <button type="submit" className="button-primary">
          Analyze
        </button>
      </form>
      {question && (
        <Await query={analysis} what="the analysis">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>Nobody can do this.</Empty>
            ) : (
              <table className="table" data-testid="analysis-table">
                <caption>
                  Who may {question.action} on <code>{question.resource}</code>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Principal</th>
                    <th scope="col">Kind</th>
                    <th scope="col">From account</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={`${p.type}/${p.id}/${p.accountId}`}>
                      <th scope="row">{p.name}</th>
                      <td>{p.type === 'role' ? 'role session' : 'user'}</td>
                      <td>
                        <code>{p.accountId}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Await>
      )}
    </Page>
  );
}
