import { NavLink, Outlet } from 'react-router';
import { resources, usePermissions } from '../../api/permissions.js';
import { NotAllowed } from '../../ui/not-allowed.js';
import { Loading } from '../../ui/states.js';

const tabs = [
  { to: '/org', label: 'Structure', end: true },
  { to: '/org/users', label: 'Users' },
  { to: '/org/groups', label: 'Groups' },
  { to: '/org/roles', label: 'Roles and grants' },
  { to: '/org/policies', label: 'Policies' },
  { to: '/org/attachments', label: 'Attachments' },
  { to: '/org/guardrails', label: 'Guardrails' },
  { to: '/org/credential-report', label: 'Credential report' },
  { to: '/org/access-analysis', label: 'Access analysis' },
  { to: '/org/simulator', label: 'Policy simulator' },
];

/** Organization administration: a clear refusal page for people whose access does not reach it. */
export function OrgLayout() {
  const permissions = usePermissions([
    { action: 'portal:DescribeOrganization', resource: resources.organization },
    { action: 'portal:DescribeAccess', resource: resources.access('user') },
    { action: 'portal:SimulatePolicy', resource: resources.organization },
  ]);
  if (permissions.isPending) return <Loading what="your access" />;
  const any = [0, 1, 2].some((index) => permissions.allowed(index));
  if (!any) {
    return (
      <NotAllowed
        what="the organization administration"
        detail={permissions.answerOf(0)?.reason ?? 'no policy allows portal:DescribeOrganization'}
      />
    );
  }
  return (
    <div className="org">
      <nav className="tabs" aria-label="Organization administration">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end={tab.end ?? false}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function useCanManage(kind: 'organization' | 'access') {
  const permissions = usePermissions([
    kind === 'organization'
      ? { action: 'portal:ManageOrganization', resource: resources.organization }
      : { action: 'portal:ManageAccess', resource: resources.access('policy') },
  ]);
  return permissions.allowed(0) === true;
}
