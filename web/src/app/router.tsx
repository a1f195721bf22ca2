import { Box, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from '../features/auth/login-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { LogsPage } from '../features/logs/logs-page.tsx';
import { MembersPage } from '../features/members/members-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { ForbiddenPage, NotFoundPage } from '../ui/status-page.tsx';
import type { Permission } from './api-types.ts';
import { AppLayout } from './app-layout.tsx';
import { hasPermission, useAuth, useMe } from './auth-context.tsx';

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
  return hasPermission(me, permission) ? children : <ForbiddenPage />;
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
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
