import { useState } from 'react';
import { useAddMember, useCreateGroup, useGroups, useRemoveMember, useUsers } from '../../api/org.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { useCanManage } from './org-layout.js';

export function GroupsPage() {
  const groups = useGroups();
  const users = useUsers();
  const canManage = useCanManage('access');
  const create = useCreateGroup();
  const addMember = useAddMember();
  const removeMember = useRemoveMember();
  const [name, setName] = useState('');
  const [adding, setAdding] = useState<Record<string, string>>({});
  const emails = new Map((users.data?.items ?? []).map((u) => [u.userId, u.email]));
  return (
    <Page title="Groups">
      <p className="lead">Users inherit the policies attached to their groups.</p>
      {canManage && (
        <form
          className="inline-form"
          onSubmit={async (event) => {
            event.preventDefault();
            await create.mutateAsync(name).then(
              () => setName(''),
              () => undefined,
            );
          }}
        >
          <TextField
            label="New group name"
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            errors={errorsFor(create.error, 'name')}
          />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            Create group
          </button>
        </form>
      )}
      {(addMember.error || removeMember.error) && <ProblemBanner error={addMember.error ?? removeMember.error} />}
      <Await query={groups} what="the groups">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No groups yet.</Empty>
          ) : (
            <ul className="cards">
              {data.items.map((group) => (
                <li key={group.groupId} className="card">
                  <h2>{group.name}</h2>
                  <p className="muted">
                    <code>{group.groupId}</code>
                  </p>
                  {group.members.length === 0 ? (
                    <p>No members.</p>
                  ) : (
                    <ul aria-label={`Members of ${group.name}`}>
                      {group.members.map((userId) => (
                        <li key={userId}>
                          {emails.get(userId) ?? userId}
                          {canManage && (
                            <button
                              type="button"
                              className="button-link"
                              onClick={() => removeMember.mutate({ groupId: group.groupId, userId })}
                            >
                              Remove
                              <span className="visually-hidden">
                                {' '}
                                {emails.get(userId)} from {group.name}
                              </span>
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  {canManage && (
                    <form
                      className="inline-form"
                      onSubmit={(event) => {
                        event.preventDefault();
                        const userId = adding[group.groupId];
                        if (userId) addMember.mutate({ groupId: group.groupId, userId });
                      }}
                    >
                      <div className="field">
                        <label htmlFor={`add-${group.groupId}`}>Add a member</label>
                        <select
                          id={`add-${group.groupId}`}
                          value={adding[group.groupId] ?? ''}
                          onChange={(e) => setAdding({ ...adding, [group.groupId]: e.target.value })}
                        >
                          <option value="">Choose a user</option>
                          {(users.data?.items ?? [])
                            .filter((u) => !group.members.includes(u.userId))
                            .map((u) => (
                              <option key={u.userId} value={u.userId}>
                                {u.email}
                              </option>
                            ))}
                        </select>
                      </div>
                      <button type="submit" className="button-secondary">
                        Add
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Await>
    </Page>
  );
}
