import { useState } from 'react';
import { useAttachGuardrail, useDetachGuardrail, useGuardrails, useOrgTree, usePolicies } from '../../api/org.js';
import type { TreeNode } from '../../api/types.js';
import { Choices, SelectField } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { useCanManage } from './org-layout.js';

function nodes(node: TreeNode, depth = 0): Array<{ id: string; label: string }> {
  return [
    { id: node.id, label: `${'— '.repeat(depth)}${node.kind === 'root' ? 'Root' : `OU ${node.name}`}` },
    ...node.accounts.map((a) => ({ id: a.accountId, label: `${'— '.repeat(depth + 1)}account ${a.name}` })),
    ...node.units.flatMap((unit) => nodes(unit, depth + 1)),
  ];
}

/** Guardrails (like SCPs): every level from the root to an account must allow an action. */
export function GuardrailsPage() {
  const guardrails = useGuardrails();
  const tree = useOrgTree();
  const policies = usePolicies();
  const canManage = useCanManage('access');
  const attach = useAttachGuardrail();
  const detach = useDetachGuardrail();
  const [targetId, setTargetId] = useState('');
  const [policy, setPolicy] = useState('');
  const places = tree.data ? nodes(tree.data.root) : [];
  const label = new Map(places.map((p) => [p.id, p.label.replace(/^[— ]+/, '')]));
  return (
    <Page title="Guardrails">
      <p className="lead">
        Guardrails bound what anyone in an account may do, whatever their policies say. Every level from the root to the
        account must allow an action; the management account is not bound by them.
      </p>
      {canManage && (
        <form
          className="filter-row"
          onSubmit={(event) => {
            event.preventDefault();
            attach.mutate({ targetId, policy });
          }}
        >
          <SelectField label="Attach to" required value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            <Choices none="Choose" options={places.map((p) => ({ value: p.id, label: p.label }))} />
          </SelectField>
          <SelectField label="Guardrail policy" required value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <Choices
              none="Choose"
              options={(policies.data?.items ?? []).map((p) => ({ value: p.policyId, label: p.name }))}
            />
            <option value="FullAccessGuardrail">FullAccessGuardrail (managed)</option>
          </SelectField>
          <button type="submit" className="button-primary" disabled={attach.isPending}>
            Attach guardrail
          </button>
        </form>
      )}
      {(attach.error || detach.error) && <ProblemBanner error={attach.error ?? detach.error} />}
      <Await query={guardrails} what="the guardrails">
        {(data) => (
          <DataTable
            caption="Guardrail attachments"
            columns={['Where', 'Guardrail', 'Since']}
            actions
            testId="guardrails-table"
          >
            {data.items.map((g) => (
              <tr key={`${g.targetId}/${g.policyRef}`}>
                <th scope="row">
                  {label.get(g.targetId) ?? g.targetId} <code>{g.targetId}</code>
                </th>
                <td>
                  <code>{g.policyRef}</code>
                </td>
                <td>{formatDateTime(g.attachedAt)}</td>
                <td>
                  {canManage && (
                    <button
                      type="button"
                      className="button-link"
                      onClick={() => detach.mutate({ targetId: g.targetId, policy: g.policyRef })}
                    >
                      Detach
                      <span className="visually-hidden">
                        {' '}
                        {g.policyRef} from {g.targetId}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Await>
    </Page>
  );
}
