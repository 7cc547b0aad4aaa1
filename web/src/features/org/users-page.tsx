import { useState } from 'react';
import { useAccounts, useDeactivateUser, useInviteUser, useUsers } from '../../api/org.js';
import type { User } from '../../api/types.js';
import { Dialog, DialogActions } from '../../ui/dialog.js';
import { errorsFor, SelectField, TextField } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { useCanManage } from './org-layout.js';

export function UsersPage() {
  const users = useUsers();
  const canManage = useCanManage('access');
  const [inviting, setInviting] = useState(false);
  const [deactivating, setDeactivating] = useState<User | undefined>();
  return (
    <Page
      title="Users"
      actions={
        canManage && (
          <button type="button" className="button-primary" onClick={() => setInviting(true)}>
            Invite user
          </button>
        )
      }
    >
      <Await query={users} what="the users">
        {(data) => (
          <DataTable
            caption="Users of the organization"
            columns={['User', 'Account', 'Status', 'MFA', 'Last sign-in']}
            actions
            testId="users-table"
          >
            {data.items.map((user) => (
              <tr key={user.userId}>
                <th scope="row">
                  {user.displayName}
                  <div className="muted">{user.email}</div>
                </th>
                <td>
                  <code>{user.accountId}</code>
                </td>
                <td>
                  <span className={user.status === 'active' ? 'badge badge-ok' : 'badge'}>{user.status}</span>
                </td>
                <td>{user.mfaEnabled ? 'on' : user.mfaRequired ? 'required, not set up' : 'off'}</td>
                <td>{formatDateTime(user.lastSignInAt)}</td>
                <td>
                  {canManage && user.status !== 'deactivated' && (
                    <button type="button" className="button-link" onClick={() => setDeactivating(user)}>
                      Deactivate<span className="visually-hidden"> {user.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Await>
      {inviting && <InviteDialog onClose={() => setInviting(false)} />}
      {deactivating && <DeactivateDialog user={deactivating} onClose={() => setDeactivating(undefined)} />}
    </Page>
  );
}

function InviteDialog({ onClose }: { onClose: () => void }) {
  const invite = useInviteUser();
  const accounts = useAccounts();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [accountId, setAccountId] = useState('');
  return (
    <Dialog title="Invite a user" open onClose={onClose}>
      {invite.isSuccess ? (
        <div className="notice" role="status">
          <p>{invite.data.email} is invited. They get an email with a link (valid 7 days) to choose their password.</p>
          <button type="button" className="button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            invite.mutate({ email, displayName, accountId: accountId || (accounts.data?.items[0]?.accountId ?? '') });
          }}
        >
          <TextField
            label="Email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            errors={errorsFor(invite.error, 'email')}
          />
          <TextField
            label="Display name"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            errors={errorsFor(invite.error, 'displayName')}
          />
          <SelectField
            label="Account"
            value={accountId}
            onChange={(e) => setAccountId(e.target.value)}
            errors={errorsFor(invite.error, 'accountId')}
          >
            {(accounts.data?.items ?? []).map((account) => (
              <option key={account.accountId} value={account.accountId}>
                {account.name} ({account.accountId})
              </option>
            ))}
          </SelectField>
          {invite.error && <ProblemBanner error={invite.error} />}
          <DialogActions onCancel={onClose}>
            <button type="submit" className="button-primary" disabled={invite.isPending}>
              Send invitation
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

function DeactivateDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const deactivate = useDeactivateUser();
  return (
    <Dialog title={`Deactivate ${user.displayName}`} open onClose={onClose}>
      <p>
        {user.email} can no longer sign in, and every session they have stops working at once. Their history stays in
        the audit trail.
      </p>
      {deactivate.error && <ProblemBanner error={deactivate.error} />}
      <DialogActions onCancel={onClose}>
        <button
          type="button"
          className="button-danger"
          disabled={deactivate.isPending}
          onClick={() => deactivate.mutateAsync(user.userId).then(onClose, () => undefined)}
        >
          Deactivate
        </button>
      </DialogActions>
    </Dialog>
  );
}
