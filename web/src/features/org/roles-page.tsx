import { useState } from 'react';
import { useCreateRole, useGrantRole, useGroups, useRoles, useUsers } from '../../api/org.js';
import type { Role } from '../../api/types.js';
import { Choices, errorsFor, SelectField, TextField } from '../../ui/field.js';
import { formatDateTime, instantFromLocalInput } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { useCanManage } from './org-layout.js';

export function RolesPage() {
  const roles = useRoles();
  const users = useUsers();
  const groups = useGroups();
  const canManage = useCanManage('access');
  const emails = new Map((users.data?.items ?? []).map((u) => [u.userId, u.email]));
  const groupNames = new Map((groups.data?.items ?? []).map((g) => [g.groupId, g.name]));
  return (
    <Page title="Roles and time-boxed grants">
      <p className="lead">
        Assuming a role gives a session with only the role’s policies. Its trust policy names who may assume it; a
        time-boxed grant lets one more user assume it until a given time.
      </p>
      <Await query={roles} what="the roles">
        {(data) => (
          <DataTable
            caption="Roles"
            columns={['Role', 'Trusted users and groups', 'Session length']}
            testId="roles-table"
          >
            {data.items.map((role) => (
              <tr key={role.roleId}>
                <th scope="row">
                  {role.name} <code>{role.roleId}</code>
                  <div className="muted">{role.description}</div>
                </th>
                <td>
                  {[
                    ...role.trust.users.map((id) => emails.get(id) ?? id),
                    ...role.trust.groups.map((id) => `group ${groupNames.get(id) ?? id}`),
                  ].join(', ') || 'nobody'}
                </td>
                <td>{Math.round(role.maxSessionSeconds / 60)} min</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Await>
      {canManage && (
        <div className="two-columns">
          <CreateRole />
          <GrantRole roles={roles.data?.items ?? []} />
        </div>
      )}
    </Page>
  );
}

function CreateRole() {
  const create = useCreateRole();
  const groups = useGroups();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [trusted, setTrusted] = useState<string[]>([]);
  return (
    <section className="panel" aria-labelledby="create-role">
      <h2 id="create-role">Create a role</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await create.mutateAsync({ name, description, trust: { groups: trusted } }).then(
            () => setName(''),
            () => undefined,
          );
        }}
      >
        <TextField
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errorsFor(create.error, 'name')}
        />
        <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
        <fieldset>
          <legend>Groups that may assume it</legend>
          {(groups.data?.items ?? []).map((group) => (
            <label key={group.groupId} className="checkbox">
              <input
                type="checkbox"
                checked={trusted.includes(group.groupId)}
                onChange={(e) =>
                  setTrusted(
                    e.target.checked ? [...trusted, group.groupId] : trusted.filter((id) => id !== group.groupId),
                  )
                }
              />
              {group.name}
            </label>
          ))}
        </fieldset>
        {create.error && <ProblemBanner error={create.error} />}
        {create.isSuccess && (
          <p className="notice" role="status">
            Role {create.data.name} created. Attach policies to it under Attachments.
          </p>
        )}
        <button type="submit" className="button-primary" disabled={create.isPending}>
          Create role
        </button>
      </form>
    </section>
  );
}

function GrantRole({ roles }: { roles: Role[] }) {
  const grant = useGrantRole();
  const users = useUsers();
  const [roleId, setRoleId] = useState('');
  const [userId, setUserId] = useState('');
  const [until, setUntil] = useState('');
  return (
    <section className="panel" aria-labelledby="grant-role">
      <h2 id="grant-role">Time-boxed grant</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const expiresAt = instantFromLocalInput(until);
          if (expiresAt) grant.mutate({ roleId, userId, expiresAt });
        }}
      >
        <SelectField label="Role" required value={roleId} onChange={(e) => setRoleId(e.target.value)}>
          <Choices none="Choose a role" options={roles.map((role) => ({ value: role.roleId, label: role.name }))} />
        </SelectField>
        <SelectField label="User" required value={userId} onChange={(e) => setUserId(e.target.value)}>
          <Choices
            none="Choose a user"
            options={(users.data?.items ?? []).map((user) => ({ value: user.userId, label: user.email }))}
          />
        </SelectField>
        <TextField
          label="Until (UTC)"
          type="datetime-local"
          required
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          errors={errorsFor(grant.error, 'expiresAt')}
        />
        {grant.error && <ProblemBanner error={grant.error} />}
        {grant.isSuccess && (
          <p className="notice" role="status">
            Granted until {formatDateTime(grant.data.expiresAt)}; it ends by itself.
          </p>
        )}
        <button type="submit" className="button-primary" disabled={grant.isPending}>
          Grant
        </button>
      </form>
    </section>
  );
}
