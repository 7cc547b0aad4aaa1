import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useUnreadCount } from '../api/notifications.js';
import { resources, usePermissions } from '../api/permissions.js';
import { useMe, useSignOut } from '../api/session.js';
import type { PermissionQuestion } from '../api/types.js';
import { Loading } from '../ui/states.js';

/** What the navigation asks the server (one POST /api/permissions); links show only when allowed. */
const navQuestions: PermissionQuestion[] = [
  { action: 'portal:ListReports', resource: resources.anyReport },
  { action: 'portal:ListDownloads', resource: resources.anyDownload },
  { action: 'portal:GetDownload', resource: resources.anyDownload },
  { action: 'portal:ListAgreements', resource: resources.anyAgreement },
  { action: 'portal:GetAgreementCoverage', resource: resources.coverage },
  { action: 'portal:ReadLedger', resource: resources.ledger },
  { action: 'portal:DescribeOrganization', resource: resources.organization },
  { action: 'portal:DescribeAccess', resource: resources.access('user') },
  { action: 'portal:SimulatePolicy', resource: resources.organization },
  { action: 'portal:PublishReport', resource: resources.anyReport },
  { action: 'portal:PublishAgreement', resource: resources.anyAgreement },
  { action: 'portal:ListEvidenceBundles', resource: 'arn:portal:{orgId}:{accountId}:evidence-bundle/*' },
  { action: 'portal:ListComplianceInquiries', resource: 'arn:portal:{orgId}::compliance-inquiry/*' },
  // The operator's review of every organization's inquiries (the operator grant is checked by the API).
  { action: 'portal:AnswerComplianceInquiry', resource: 'arn:portal:*::compliance-inquiry/*' },
];

function WhoAmI() {
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!me.data) return null;
  const { user, account, organization, role, mfaPresent } = me.data;
  return (
    <section className="whoami" aria-label="Signed in as" data-testid="whoami">
      <div className="whoami-who">
        <span className="whoami-name">{user.displayName}</span>
        <span className="whoami-detail">{user.email}</span>
      </div>
      <dl className="whoami-facts">
        <div>
          <dt>Organization</dt>
          <dd>{organization.name}</dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>
            {account.name} ({account.accountId})
          </dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd data-testid="whoami-role">{role ? role.name : 'none (your own permissions)'}</dd>
        </div>
        <div>
          <dt>MFA</dt>
          <dd data-testid="whoami-mfa">
            {mfaPresent ? 'this session passed MFA' : user.mfaEnabled ? 'not yet in this session' : 'not set up'}
          </dd>
        </div>
      </dl>
      <div className="whoami-actions">
        <NavLink to="/switch-role">Switch role</NavLink>
        <NavLink to="/security">Security</NavLink>
        <button
          type="button"
          className="button-link"
          onClick={async () => {
            await signOut.mutateAsync().catch(() => undefined);
            navigate('/?notice=signed-out', { replace: true });
          }}
        >
          Sign out
        </button>
      </div>
    </section>
  );
}

function UnreadBadge() {
  const me = useMe();
  const unread = useUnreadCount(Boolean(me.data));
  const count = unread.data?.unreadCount ?? 0;
  return (
    <NavLink to="/notifications" className="nav-notifications">
      Notifications
      {count > 0 && (
        <span className="badge badge-count" data-testid="unread-badge">
          {count}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </NavLink>
  );
}

export function Shell() {
  const permissions = usePermissions(navQuestions);
  const can = (index: number) => permissions.allowed(index) === true;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <NavLink to="/reports" className="brand">
          evidence-portal
        </NavLink>
        <WhoAmI />
      </header>
      <div className="shell-body">
        <nav className="shell-nav" aria-label="Console">
          <ul>
            {can(0) && (
              <li>
                <NavLink to="/reports" end>
                  Reports
                </NavLink>
              </li>
            )}
            {can(1) && (
              <li>
                <NavLink to="/downloads">My downloads</NavLink>
              </li>
            )}
            {can(2) && (
              <li>
                <NavLink to="/downloads/trace">Trace a download</NavLink>
              </li>
            )}
            {can(3) && (
              <li>
                <NavLink to="/agreements">Agreements</NavLink>
              </li>
            )}
            {can(4) && (
              <li>
                <NavLink to="/coverage">Coverage</NavLink>
              </li>
            )}
            {can(5) && (
              <li>
                <NavLink to="/ledger">Audit trail</NavLink>
              </li>
            )}
            {(can(6) || can(7)) && (
              <li>
                <NavLink to="/org">Organization</NavLink>
              </li>
            )}
            {can(8) && (
              <li>
                <NavLink to="/org/simulator">Policy simulator</NavLink>
              </li>
            )}
            {(can(9) || can(10)) && (
              <li>
                <NavLink to="/publishing">Publishing</NavLink>
              </li>
            )}
            {can(11) && (
              <li>
                <NavLink to="/evidence">Evidence bundles</NavLink>
              </li>
            )}
            {can(12) && (
              <li>
                <NavLink to="/inquiries" end>
                  Inquiries
                </NavLink>
              </li>
            )}
            {can(13) && (
              <li>
                <NavLink to="/inquiries/review">Human review</NavLink>
              </li>
            )}
            <li>
              <UnreadBadge />
            </li>
          </ul>
        </nav>
        <main id="main" className="shell-main">
          <Suspense fallback={<Loading what="the page" />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
