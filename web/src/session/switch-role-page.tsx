import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useRoles } from '../api/org.js';
import { resources, usePermissions } from '../api/permissions.js';
import { useAssumeRole, useMe } from '../api/session.js';
import { TextField } from '../ui/field.js';
import { Page } from '../ui/page.js';
import { Loading, ProblemBanner } from '../ui/states.js';

/**
 * Switch role: a new, shorter session holding only the role's permissions (its trust policy decides who
 * may). People who may read the roles pick one; others type the role id their administrator gave them.
 */
export function SwitchRolePage() {
  const me = useMe();
  const navigate = useNavigate();
  const assume = useAssumeRole();
  const permissions = usePermissions([{ action: 'portal:DescribeAccess', resource: resources.access('role') }]);
  const canList = permissions.allowed(0) === true;
  const roles = useRoles(canList);
  const [roleId, setRoleId] = useState('');
  if (!me.data) return <Loading what="your session" />;
  const mine = (roles.data?.items ?? []).filter(
    (role) =>
      role.trust.users.includes(me.data?.user.userId ?? '') ||
      role.trust.groups.some((group) => me.data?.groups.some((g) => g.groupId === group)),
  );
  const switchTo = async (id: string) => {
    try {
      await assume.mutateAsync(id);
      navigate('/reports');
    } catch {
      /* shown below */
    }
  };
  return (
    <Page title="Switch role">
      {me.data.role ? (
        <p className="notice" role="status">
          You are acting as <strong>{me.data.role.name}</strong>. To act as yourself again, sign out and sign in: a role
          session cannot widen itself back.
        </p>
      ) : (
        <p>
          A role session holds only the role’s permissions, lasts at most an hour (or the role’s limit) and is recorded
          in the audit trail.
        </p>
      )}
      {assume.error && <ProblemBanner error={assume.error} />}
      {canList && mine.length > 0 && (
        <ul className="role-list" aria-label="Roles you may assume">
          {mine.map((role) => (
            <li key={role.roleId}>
              <div>
                <strong>{role.name}</strong> <span className="muted">{role.description}</span>
              </div>
              <button type="button" className="button-secondary" onClick={() => switchTo(role.roleId)}>
                Switch to {role.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void switchTo(roleId.trim());
        }}
      >
        <TextField
          label="Role id"
          hint="For example role-complianceofficer, as your administrator gave it to you."
          name="roleId"
          required
          value={roleId}
          onChange={(event) => setRoleId(event.target.value)}
        />
        <button type="submit" className="button-primary" disabled={assume.isPending || !roleId.trim()}>
          Switch role
        </button>
      </form>
    </Page>
  );
}
