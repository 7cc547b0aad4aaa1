import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, lazy, type ReactNode, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useSearchParams } from 'react-router';
import { onSessionLost } from './api/client.js';
import { resources } from './api/permissions.js';
import { ApiProblem } from './api/problem.js';
import { prefetchLandingCatalog } from './api/reports.js';
import { meKey, useMe } from './api/session.js';
import type { PermissionQuestion } from './api/types.js';
import { ReportsPage } from './features/reports/reports-page.js';
import { RequirePermission } from './session/require-permission.js';
import { RequireSession, safeNext } from './session/require-session.js';
import { Shell } from './session/shell.js';
import { SignInPage } from './session/sign-in-page.js';
import { StepUpDialog } from './session/step-up-dialog.js';
import { Page } from './ui/page.js';
import { Loading } from './ui/states.js';

/** Screens beyond the landing page load on first use, keeping the first load small. */
function screen<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const ReportDetailPage = screen(() => import('./features/reports/report-detail-page.js'), 'ReportDetailPage');
const DownloadsPage = screen(() => import('./features/reports/downloads-page.js'), 'DownloadsPage');
const TracePage = screen(() => import('./features/reports/downloads-page.js'), 'TracePage');
const AgreementsPage = screen(() => import('./features/agreements/agreements-page.js'), 'AgreementsPage');
const AgreementDetailPage = screen(
  () => import('./features/agreements/agreement-detail-page.js'),
  'AgreementDetailPage',
);
const CoveragePage = screen(() => import('./features/agreements/coverage-page.js'), 'CoveragePage');
const LedgerPage = screen(() => import('./features/ledger/ledger-page.js'), 'LedgerPage');
const OrgLayout = screen(() => import('./features/org/org-layout.js'), 'OrgLayout');
const OrgTreePage = screen(() => import('./features/org/org-tree-page.js'), 'OrgTreePage');
const UsersPage = screen(() => import('./features/org/users-page.js'), 'UsersPage');
const GroupsPage = screen(() => import('./features/org/groups-page.js'), 'GroupsPage');
const RolesPage = screen(() => import('./features/org/roles-page.js'), 'RolesPage');
const PoliciesPage = screen(() => import('./features/org/policies-page.js'), 'PoliciesPage');
const AttachmentsPage = screen(() => import('./features/org/attachments-page.js'), 'AttachmentsPage');
const GuardrailsPage = screen(() => import('./features/org/guardrails-page.js'), 'GuardrailsPage');
const CredentialReportPage = screen(() => import('./features/org/credential-report-page.js'), 'CredentialReportPage');
const AccessAnalysisPage = screen(() => import('./features/org/access-analysis-page.js'), 'AccessAnalysisPage');
const SimulatorPage = screen(() => import('./features/org/simulator-page.js'), 'SimulatorPage');
const PublishingPage = screen(() => import('./features/publishing/publishing-page.js'), 'PublishingPage');
const PublishReportPage = screen(() => import('./features/publishing/publish-report-page.js'), 'PublishReportPage');
const NotificationsPage = screen(() => import('./features/notifications/notifications-page.js'), 'NotificationsPage');
const SubscriptionsPage = screen(() => import('./features/notifications/subscriptions-page.js'), 'SubscriptionsPage');
const WebhooksPage = screen(() => import('./features/notifications/webhooks-page.js'), 'WebhooksPage');
const InquiriesPage = screen(() => import('./features/compliance-inquiries/inquiries-page.js'), 'InquiriesPage');
const InquiryPage = screen(() => import('./features/compliance-inquiries/inquiry-page.js'), 'InquiryPage');
const ReviewQueuePage = screen(() => import('./features/compliance-inquiries/review-page.js'), 'ReviewQueuePage');
const ReviewPage = screen(() => import('./features/compliance-inquiries/review-page.js'), 'ReviewPage');
const EvidencePage = screen(() => import('./features/evidence/evidence-page.js'), 'EvidencePage');
const ExportWizard = screen(() => import('./features/evidence/export-wizard.js'), 'ExportWizard');
const BundlePage = screen(() => import('./features/evidence/bundle-page.js'), 'BundlePage');
const SigningKeysPage = screen(() => import('./features/evidence/signing-keys-page.js'), 'SigningKeysPage');
const SecurityPage = screen(() => import('./session/security-page.js'), 'SecurityPage');
const SwitchRolePage = screen(() => import('./session/switch-role-page.js'), 'SwitchRolePage');
const SetPasswordPage = lazy(async () => ({
  default: (await import('./session/set-password-page.js')).SetPasswordPage,
}));
const ForgotPasswordPage = screen(() => import('./session/set-password-page.js'), 'ForgotPasswordPage');

/** A screen shown only to callers whose policies allow its act (others see why not). */
const guarded = (action: PermissionQuestion['action'], resource: string, what: string, screen: ReactNode) => (
  <RequirePermission question={{ action, resource }} what={what}>
    {screen}
  </RequirePermission>
);

/** `/`: the sign-in page when signed out, else where the visitor was going. */
function Home() {
  const me = useMe();
  const [params] = useSearchParams();
  if (me.isPending) return <Loading what="your session" />;
  if (me.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  return <SignInPage />;
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is no screen at this address.</p>
    </Page>
  );
}

function SessionLost({ client }: { client: QueryClient }) {
  useEffect(() => {
    // A 401 anywhere means the session ended (expired, revoked, signed out elsewhere): ask who we are again.
    onSessionLost(() => void client.invalidateQueries({ queryKey: meKey }));
    return () => onSessionLost(undefined);
  }, [client]);
  return null;
}

export function App() {
  const [client] = useState(() => {
    const created = new QueryClient({
      defaultOptions: {
        queries: {
          staleTime: 15_000,
          refetchOnWindowFocus: false,
          // Refusals are answers, not glitches: only retry what may pass on a second try.
          retry: (count, error) =>
            count < 2 && (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 0),
        },
      },
    });
    prefetchLandingCatalog(created, window.location);
    return created;
  });
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <SessionLost client={client} />
        <StepUpDialog />
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/invitation" element={<SetPasswordPage purpose="invitation" />} />
          <Route path="/reset-password" element={<SetPasswordPage purpose="reset" />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route
            element={
              <RequireSession>
                <Shell />
              </RequireSession>
            }
          >
            <Route path="/reports" element={<ReportsPage />} />
            <Route path="/reports/:id" element={<ReportDetailPage />} />
            <Route
              path="/downloads"
              element={guarded('portal:ListDownloads', resources.anyDownload, 'your downloads', <DownloadsPage />)}
            />
            <Route
              path="/downloads/trace"
              element={guarded('portal:GetDownload', resources.anyDownload, 'tracing downloads', <TracePage />)}
            />
            <Route
              path="/agreements"
              element={guarded('portal:ListAgreements', resources.anyAgreement, 'the agreements', <AgreementsPage />)}
            />
            <Route path="/agreements/:id" element={<AgreementDetailPage />} />
            <Route
              path="/coverage"
              element={guarded(
                'portal:GetAgreementCoverage',
                resources.coverage,
                'agreement coverage',
                <CoveragePage />,
              )}
            />
            <Route
              path="/ledger"
              element={guarded('portal:ReadLedger', resources.ledger, 'the audit trail', <LedgerPage />)}
            />
            <Route path="/org" element={<OrgLayout />}>
              <Route index element={<OrgTreePage />} />
              <Route path="users" element={<UsersPage />} />
              <Route path="groups" element={<GroupsPage />} />
              <Route path="roles" element={<RolesPage />} />
              <Route path="policies" element={<PoliciesPage />} />
              <Route path="attachments" element={<AttachmentsPage />} />
              <Route path="guardrails" element={<GuardrailsPage />} />
              <Route path="credential-report" element={<CredentialReportPage />} />
              <Route path="access-analysis" element={<AccessAnalysisPage />} />
              <Route path="simulator" element={<SimulatorPage />} />
            </Route>
            <Route path="/publishing" element={<PublishingPage />} />
            <Route path="/publishing/reports/:id" element={<PublishReportPage />} />
            <Route path="/notifications" element={<NotificationsPage />} />
            <Route path="/notifications/subscriptions" element={<SubscriptionsPage />} />
            <Route path="/notifications/webhooks" element={<WebhooksPage />} />
            <Route path="/evidence" element={<EvidencePage />} />
            <Route path="/evidence/new" element={<ExportWizard />} />
            <Route path="/evidence/keys" element={<SigningKeysPage />} />
            <Route path="/evidence/:id" element={<BundlePage />} />
            <Route path="/inquiries" element={<InquiriesPage />} />
            <Route path="/inquiries/review" element={<ReviewQueuePage />} />
            <Route path="/inquiries/review/:orgId/:id" element={<ReviewPage />} />
            <Route path="/inquiries/:id" element={<InquiryPage />} />
            <Route path="/switch-role" element={<SwitchRolePage />} />
            <Route path="/security" element={<SecurityPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
