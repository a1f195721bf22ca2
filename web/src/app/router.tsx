import { Box, Center, Loader } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from '../features/auth/login-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { LogsPage } from '../features/logs/logs-page.tsx';
import { MembersPage } from '../features/members/members-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { PageLoader } from '../ui/page-loader.tsx';
import { ForbiddenPage, NotFoundPage } from '../ui/status-page.tsx';
import type { Permission } from './api-types.ts';
import { AppLayout } from './app-layout.tsx';
import { hasPermission, useAuth, useMe } from './auth-context.tsx';

// The working sections load on first visit, so signing in does not wait for all of them.
const OperatorProfilePage = lazy(() =>
  import('../features/operator-profile/operator-profile-page.tsx').then((module) => ({
    default: module.OperatorProfilePage,
  })),
);
const PurposesPage = lazy(() =>
  import('../features/purposes/purposes-page.tsx').then((module) => ({
    default: module.PurposesPage,
  })),
);
const PurposeDetailPage = lazy(() =>
  import('../features/purposes/purpose-detail-page.tsx').then((module) => ({
    default: module.PurposeDetailPage,
  })),
);

const FormsPage = lazy(() =>
  import('../features/forms/forms-page.tsx').then((module) => ({ default: module.FormsPage })),
);
const FormBuilderPage = lazy(() =>
  import('../features/forms/form-builder-page.tsx').then((module) => ({
    default: module.FormBuilderPage,
  })),
);

const LeadsPage = lazy(() =>
  import('../features/leads/leads-page.tsx').then((module) => ({ default: module.LeadsPage })),
);
const PipelinePage = lazy(() =>
  import('../features/leads/pipeline-page.tsx').then((module) => ({
    default: module.PipelinePage,
  })),
);
const ContactsPage = lazy(() =>
  import('../features/contacts/contacts-page.tsx').then((module) => ({
    default: module.ContactsPage,
  })),
);
const ContactCardPage = lazy(() =>
  import('../features/contacts/contact-card-page.tsx').then((module) => ({
    default: module.ContactCardPage,
  })),
);
const ConsentJournalPage = lazy(() =>
  import('../features/consents/consent-journal-page.tsx').then((module) => ({
    default: module.ConsentJournalPage,
  })),
);
const RequestsPage = lazy(() =>
  import('../features/requests/requests-page.tsx').then((module) => ({
    default: module.RequestsPage,
  })),
);
const RequestPage = lazy(() =>
  import('../features/requests/request-page.tsx').then((module) => ({
    default: module.RequestPage,
  })),
);
const SuppressionsPage = lazy(() =>
  import('../features/messaging/suppressions-page.tsx').then((module) => ({
    default: module.SuppressionsPage,
  })),
);
const DeliverabilityPage = lazy(() =>
  import('../features/messaging/deliverability-page.tsx').then((module) => ({
    default: module.DeliverabilityPage,
  })),
);
const CampaignsPage = lazy(() =>
  import('../features/campaigns/campaigns-page.tsx').then((module) => ({
    default: module.CampaignsPage,
  })),
);
const CampaignPage = lazy(() =>
  import('../features/campaigns/campaign-page.tsx').then((module) => ({
    default: module.CampaignPage,
  })),
);
const AnalyticsPage = lazy(() =>
  import('../features/analytics/analytics-page.tsx').then((module) => ({
    default: module.AnalyticsPage,
  })),
);
const SiteCheckPage = lazy(() =>
  import('../features/site-check/site-check-page.tsx').then((module) => ({
    default: module.SiteCheckPage,
  })),
);
const ServicesRegisterPage = lazy(() =>
  import('../features/services-register/services-register-page.tsx').then((module) => ({
    default: module.ServicesRegisterPage,
  })),
);
const RknNoticePage = lazy(() =>
  import('../features/rkn-notice/rkn-notice-page.tsx').then((module) => ({
    default: module.RknNoticePage,
  })),
);
const TasksPage = lazy(() =>
  import('../features/tasks/tasks-page.tsx').then((module) => ({
    default: module.TasksPage,
  })),
);
const IncidentsPage = lazy(() =>
  import('../features/incidents/incidents-page.tsx').then((module) => ({
    default: module.IncidentsPage,
  })),
);
const IncidentPage = lazy(() =>
  import('../features/incidents/incident-page.tsx').then((module) => ({
    default: module.IncidentPage,
  })),
);

const DocumentsPage = lazy(() =>
  import('../features/compliance-documents/documents-page.tsx').then((module) => ({
    default: module.DocumentsPage,
  })),
);
const AuditPage = lazy(() =>
  import('../features/audit/audit-page.tsx').then((module) => ({
    default: module.AuditPage,
  })),
);

const RetentionPage = lazy(() =>
  import('../features/retention/retention-page.tsx').then((module) => ({
    default: module.RetentionPage,
  })),
);

const CallListsPage = lazy(() =>
  import('../features/outbound/call-lists-page.tsx').then((module) => ({
    default: module.CallListsPage,
  })),
);
const CallListPage = lazy(() =>
  import('../features/outbound/call-list-page.tsx').then((module) => ({
    default: module.CallListPage,
  })),
);
const ExportsPage = lazy(() =>
  import('../features/outbound/exports-page.tsx').then((module) => ({
    default: module.ExportsPage,
  })),
);
const TransfersPage = lazy(() =>
  import('../features/outbound/transfers-page.tsx').then((module) => ({
    default: module.TransfersPage,
  })),
);

type FromState = { from?: unknown };

function returnPath(state: unknown): string {
  const from = (state as FromState | null)?.from;
  // Only paths inside the app: never an absolute URL from someone else's link.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

function BootScreen() {
  const { t } = useI18n();
  const { state, reload } = useAuth();
  if (state.status === 'error') {
    return (
      <Center mih="100vh" p="md">
        <Box w="100%" maw={460}>
          <ErrorAlert error={state.error} title={t('boot.errorTitle')} onRetry={reload} />
        </Box>
      </Center>
    );
  }
  return (
    <Center mih="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

function SetupRoute() {
  const { state } = useAuth();
  return state.status === 'needs-setup' ? <SetupPage /> : <Navigate to="/" replace />;
}

function LoginRoute() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'needs-setup') {
    return <Navigate to="/setup" replace />;
  }
  if (state.status === 'signed-in') {
    return <Navigate to={returnPath(location.state)} replace />;
  }
  return <LoginPage />;
}

function SignedInRoute() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'needs-setup') {
    return <Navigate to="/setup" replace />;
  }
  if (state.status !== 'signed-in') {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  return <AppLayout />;
}

function RequirePermission({
  permission,
  children,
}: {
  permission: Permission;
  children: ReactNode;
}) {
  const me = useMe();
  return hasPermission(me, permission) ? (
    <Suspense fallback={<PageLoader />}>{children}</Suspense>
  ) : (
    <ForbiddenPage />
  );
}

export function AppRouter() {
  const { state } = useAuth();
  if (state.status === 'loading' || state.status === 'error') {
    return <BootScreen />;
  }
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/setup" element={<SetupRoute />} />
        <Route path="/login" element={<LoginRoute />} />
        <Route element={<SignedInRoute />}>
          <Route index element={<DashboardPage />} />
          <Route
            path="logs"
            element={
              <RequirePermission permission="logs.read">
                <LogsPage />
              </RequirePermission>
            }
          />
          <Route
            path="members"
            element={
              <RequirePermission permission="members.read">
                <MembersPage />
              </RequirePermission>
            }
          />
          <Route
            path="tokens"
            element={
              <RequirePermission permission="tokens.manage">
                <TokensPage />
              </RequirePermission>
            }
          />
          <Route
            path="call-lists"
            element={
              <RequirePermission permission="call_lists.manage">
                <CallListsPage />
              </RequirePermission>
            }
          />
          <Route
            path="call-lists/:id"
            element={
              <RequirePermission permission="call_lists.manage">
                <CallListPage />
              </RequirePermission>
            }
          />
          <Route
            path="exports"
            element={
              <RequirePermission permission="contacts.export">
                <ExportsPage />
              </RequirePermission>
            }
          />
          <Route
            path="transfers"
            element={
              <RequirePermission permission="transfers.read">
                <TransfersPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/documents"
            element={
              <RequirePermission permission="documents.read">
                <DocumentsPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/audit"
            element={
              <RequirePermission permission="audit.read">
                <AuditPage />
              </RequirePermission>
            }
          />
          <Route
            path="retention"
            element={
              <RequirePermission permission="retention.read">
                <RetentionPage />
              </RequirePermission>
            }
          />
          <Route
            path="operator-profile"
            element={
              <RequirePermission permission="purposes.read">
                <OperatorProfilePage />
              </RequirePermission>
            }
          />
          <Route
            path="purposes"
            element={
              <RequirePermission permission="purposes.read">
                <PurposesPage />
              </RequirePermission>
            }
          />
          <Route
            path="purposes/:code"
            element={
              <RequirePermission permission="purposes.read">
                <PurposeDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="forms"
            element={
              <RequirePermission permission="forms.read">
                <FormsPage />
              </RequirePermission>
            }
          />
          <Route
            path="forms/new"
            element={
              <RequirePermission permission="forms.manage">
                <FormBuilderPage />
              </RequirePermission>
            }
          />
          <Route
            path="forms/:slug"
            element={
              <RequirePermission permission="forms.read">
                <FormBuilderPage />
              </RequirePermission>
            }
          />
          <Route
            path="pipeline"
            element={
              <RequirePermission permission="leads.read">
                <PipelinePage />
              </RequirePermission>
            }
          />
          <Route
            path="leads"
            element={
              <RequirePermission permission="leads.read">
                <LeadsPage />
              </RequirePermission>
            }
          />
          <Route
            path="contacts"
            element={
              <RequirePermission permission="contacts.read">
                <ContactsPage />
              </RequirePermission>
            }
          />
          <Route
            path="contacts/:id"
            element={
              <RequirePermission permission="contacts.read">
                <ContactCardPage />
              </RequirePermission>
            }
          />
          <Route
            path="consents"
            element={
              <RequirePermission permission="consent.read">
                <ConsentJournalPage />
              </RequirePermission>
            }
          />
          <Route
            path="requests"
            element={
              <RequirePermission permission="requests.read">
                <RequestsPage />
              </RequirePermission>
            }
          />
          <Route
            path="requests/:id"
            element={
              <RequirePermission permission="requests.read">
                <RequestPage />
              </RequirePermission>
            }
          />
          <Route
            path="messaging/suppressions"
            element={
              <RequirePermission permission="messaging.read">
                <SuppressionsPage />
              </RequirePermission>
            }
          />
          <Route
            path="settings/deliverability"
            element={
              <RequirePermission permission="messaging.read">
                <DeliverabilityPage />
              </RequirePermission>
            }
          />
          <Route
            path="campaigns"
            element={
              <RequirePermission permission="campaigns.read">
                <CampaignsPage />
              </RequirePermission>
            }
          />
          <Route
            path="campaigns/:id"
            element={
              <RequirePermission permission="campaigns.read">
                <CampaignPage />
              </RequirePermission>
            }
          />
          <Route
            path="analytics"
            element={
              <RequirePermission permission={'analytics.reports' as Permission}>
                <AnalyticsPage />
              </RequirePermission>
            }
          />
          <Route
            path="site-check"
            element={
              <RequirePermission permission="site_check.read">
                <SiteCheckPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/services"
            element={
              <RequirePermission permission="services.read">
                <ServicesRegisterPage />
              </RequirePermission>
            }
          />
          <Route
            path="tasks"
            element={
              <RequirePermission permission="tasks.read">
                <TasksPage />
              </RequirePermission>
            }
          />
          <Route
            path="compliance/rkn-notice"
            element={
              <RequirePermission permission="rkn_notice.read">
                <RknNoticePage />
              </RequirePermission>
            }
          />
          <Route
            path="incidents"
            element={
              <RequirePermission permission="incidents.read">
                <IncidentsPage />
              </RequirePermission>
            }
          />
          <Route
            path="incidents/:id"
            element={
              <RequirePermission permission="incidents.read">
                <IncidentPage />
              </RequirePermission>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
