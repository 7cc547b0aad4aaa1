import { useState } from 'react';
import { useGrantPublisher, usePublisherGrants, useRevokePublisher } from '../../api/publishing.js';
import { useMe } from '../../api/session.js';
import { Dialog, DialogActions } from '../../ui/dialog.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

/**
 * The operator organization decides who publishes to the global catalog: itself (an operator grant) or a
 * vendor for its own companies. The API refuses anyone else (`not_the_operator`), so this panel shows only
 * to holders of `portal:ManagePublishers` and shows the API's refusal if their organization is not the operator.
 */
export function PublisherGrants() {
  const me = useMe();
  const grants = usePublisherGrants(true);
  const [revoking, setRevoking] = useState<string | undefined>();
  const ownOrgId = me.data?.organization.orgId;
  return (
    <section className="panel" aria-labelledby="publisher-grants">
      <h2 id="publisher-grants">Publisher grants</h2>
      <p>
        Organizations allowed to publish to the global catalog. A vendor grant covers reports about the companies it
        names; revoking a grant stops new publishing and leaves published reports in place.
      </p>
      <Await query={grants} what="publisher grants">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No organization holds a publisher grant.</Empty>
          ) : (
            <DataTable
              caption="Publisher grants"
              columns={['Organization', 'Grant', 'Companies']}
              actions
              testId="publisher-grants"
            >
              {page.items.map((grant) => (
                <tr key={grant.orgId}>
                  <th scope="row">
                    <code>{grant.orgId}</code>
                    {grant.orgId === ownOrgId && ' (yours)'}
                  </th>
                  <td>{grant.operator ? 'Operator: any company' : 'Vendor'}</td>
                  <td>{grant.companies.length ? grant.companies.join(', ') : '—'}</td>
                  <td>
                    {grant.orgId !== ownOrgId && (
                      <button type="button" className="button-danger" onClick={() => setRevoking(grant.orgId)}>
                        Revoke<span className="visually-hidden"> the grant of {grant.orgId}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
      <GrantForm />
      {revoking && <RevokeDialog orgId={revoking} onClose={() => setRevoking(undefined)} />}
    </section>
  );
}

function GrantForm() {
  const grant = useGrantPublisher();
  const [orgId, setOrgId] = useState('');
  const [operator, setOperator] = useState(false);
  const [companies, setCompanies] = useState('');
  return (
    <form
      aria-label="Grant publishing"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await grant.mutateAsync({
            orgId: orgId.trim(),
            operator,
            companies: companies
              .split(',')
              .map((company) => company.trim())
              .filter(Boolean),
          });
          setOrgId('');
          setCompanies('');
          setOperator(false);
        } catch {
          /* shown below */
        }
      }}
    >
      <h3>Grant or change a grant</h3>
      <TextField
        label="Organization id"
        hint="e.g. o-examplecorp"
        required
        value={orgId}
        onChange={(e) => setOrgId(e.target.value)}
        errors={errorsFor(grant.error, 'orgId')}
      />
      <TextField
        label="Companies (comma-separated)"
        hint="The companies this vendor publishes reports about"
        value={companies}
        onChange={(e) => setCompanies(e.target.value)}
        errors={errorsFor(grant.error, 'companies')}
      />
      <label className="checkbox">
        <input type="checkbox" checked={operator} onChange={(e) => setOperator(e.target.checked)} />
        Operator grant (publishes about any company and manages grants)
      </label>
      {grant.error && <ProblemBanner error={grant.error} />}
      {grant.data && (
        <p className="notice" role="status">
          <code>{grant.data.orgId}</code> may now publish {grant.data.operator ? 'as an operator' : 'as a vendor'}.
        </p>
      )}
      <button type="submit" className="button-primary" disabled={grant.isPending}>
        Save grant
      </button>
    </form>
  );
}

function RevokeDialog({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const revoke = useRevokePublisher();
  return (
    <Dialog title={`Revoke the publisher grant of ${orgId}`} open onClose={onClose}>
      <p>
        <code>{orgId}</code> can no longer create reports, versions or terms in the global catalog. Reports it already
        published stay available to customers.
      </p>
      {revoke.error && <ProblemBanner error={revoke.error} />}
      <DialogActions onCancel={onClose}>
        <button
          type="button"
          className="button-danger"
          disabled={revoke.isPending}
          onClick={async () => {
            try {
              await revoke.mutateAsync(orgId);
              onClose();
            } catch {
              /* shown above */
            }
          }}
        >
          Revoke grant
        </button>
      </DialogActions>
    </Dialog>
  );
}
