import { useState } from 'react';
import { useAttach, useAttachments, useDetach, useGroups, usePolicies, useRoles, useUsers } from '../../api/org.js';
import { Choices, SelectField, TextField } from '../../ui/field.js';
import { formatDateTime, instantFromLocalInput } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { useCanManage } from './org-layout.js';

type TargetType = 'user' | 'group' | 'role';

export function AttachmentsPage() {
  const attachments = useAttachments();
  const canManage = useCanManage('access');
  const detach = useDetach();
  const names = useTargetNames();
  return (
    <Page title="Policy attachments and time-boxed grants">
      <p className="lead">
        Which policies apply to which users, groups and roles. An attachment with an end time is a time-boxed grant: it
        stops applying by itself at that time.
      </p>
      {canManage && <AttachForm />}
      {detach.error && <ProblemBanner error={detach.error} />}
      <Await query={attachments} what="the attachments">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No policy is attached yet.</Empty>
          ) : (
            <DataTable
              caption="Attachments"
              columns={['To', 'Policy', 'Since', 'Until']}
              actions
              testId="attachments-table"
            >
              {data.items.map((a) => (
                <tr key={`${a.target.type}/${a.target.id}/${a.policyRef}`}>
                  <th scope="row">
                    {a.target.type} {names.get(a.target.id) ?? a.target.id}
                  </th>
                  <td>
                    <code>{a.policyRef}</code>
                  </td>
                  <td>{formatDateTime(a.attachedAt)}</td>
                  <td>
                    {a.expiresAt ? (
                      <span className="badge badge-warn">until {formatDateTime(a.expiresAt)}</span>
                    ) : (
                      'no end'
                    )}
                  </td>
                  <td>
                    {canManage && (
                      <button
                        type="button"
                        className="button-link"
                        onClick={() =>
                          detach.mutate({ targetType: a.target.type, targetId: a.target.id, policy: a.policyRef })
                        }
                      >
                        Detach
                        <span className="visually-hidden">
                          {' '}
                          {a.policyRef} from {a.target.id}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}

function useTargetNames(): Map<string, string> {
  const users = useUsers();
  const groups = useGroups();
  const roles = useRoles();
  return new Map([
    ...(users.data?.items ?? []).map((u) => [u.userId, u.email] as const),
    ...(groups.data?.items ?? []).map((g) => [g.groupId, g.name] as const),
    ...(roles.data?.items ?? []).map((r) => [r.roleId, r.name] as const),
  ]);
}

function AttachForm() {
  const attach = useAttach();
  const users = useUsers();
  const groups = useGroups();
  const roles = useRoles();
  const policies = usePolicies();
  const [targetType, setTargetType] = useState<TargetType>('group');
  const [targetId, setTargetId] = useState('');
  const [policy, setPolicy] = useState('');
  const [until, setUntil] = useState('');
  const targets =
    targetType === 'user'
      ? (users.data?.items ?? []).map((u) => ({ id: u.userId, label: u.email }))
      : targetType === 'group'
        ? (groups.data?.items ?? []).map((g) => ({ id: g.groupId, label: g.name }))
        : (roles.data?.items ?? []).map((r) => ({ id: r.roleId, label: r.name }));
  return (
    <section className="panel" aria-labelledby="attach-heading">
      <h2 id="attach-heading">Attach a policy</h2>
      <form
        className="filter-row"
        onSubmit={(event) => {
          event.preventDefault();
          const expiresAt = instantFromLocalInput(until);
          attach.mutate({ targetType, targetId, policy, ...(expiresAt ? { expiresAt } : {}) });
        }}
      >
        <SelectField label="To a" value={targetType} onChange={(e) => setTargetType(e.target.value as TargetType)}>
          <option value="user">user</option>
          <option value="group">group</option>
          <option value="role">role</option>
        </SelectField>
        <SelectField label="Which" required value={targetId} onChange={(e) => setTargetId(e.target.value)}>
          <Choices none="Choose" options={targets.map((t) => ({ value: t.id, label: t.label }))} />
        </SelectField>
        <SelectField label="Policy" required value={policy} onChange={(e) => setPolicy(e.target.value)}>
          <Choices
            none="Choose"
            options={(policies.data?.items ?? []).map((p) => ({ value: p.policyId, label: p.name }))}
          />
          {(policies.data?.managed ?? []).map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} (managed)
            </option>
          ))}
        </SelectField>
        <TextField
          label="Until (UTC, optional)"
          hint="Set an end to make a time-boxed grant."
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
        />
        <button type="submit" className="button-primary" disabled={attach.isPending}>
          Attach
        </button>
      </form>
      {attach.error && <ProblemBanner error={attach.error} />}
    </section>
  );
}
