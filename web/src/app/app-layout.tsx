import {
  AppShell,
  Box,
  Burger,
  Group,
  NavLink as MantineNavLink,
  ScrollArea,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ChangePasswordModal } from '../features/auth/change-password-modal.tsx';
import { TwoFactorModal } from '../features/auth/two-factor-modal.tsx';
import { AcknowledgementPrompt } from '../features/compliance-documents/acknowledgement-prompt.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { ErrorAlert } from '../ui/error-alert.tsx';
import { Logo } from '../ui/logo.tsx';
import { useMe } from './auth-context.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import {
  ADMIN_ITEMS,
  COMPLIANCE_ITEMS,
  DASHBOARD_ITEM,
  type EnabledNavItem,
  isEnabledItem,
  type NavEntry,
  type NavItem,
  visibleEntries,
  visibleItems,
  WORK_ITEMS,
} from './nav-items.ts';
import { OrgSwitcher } from './org-switcher.tsx';
import { UserMenu } from './user-menu.tsx';

function isActive(item: EnabledNavItem, pathname: string): boolean {
  return item.path === '/' ? pathname === '/' : pathname.startsWith(item.path);
}

function EnabledLink({ item, onNavigate }: { item: EnabledNavItem; onNavigate: () => void }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const Icon = item.icon;
  return (
    <MantineNavLink
      component={NavLink}
      to={item.path}
      end={item.path === '/'}
      label={t(item.labelKey)}
      leftSection={<Icon size={18} stroke={1.6} />}
      active={isActive(item, pathname)}
      onClick={onNavigate}
      variant="light"
    />
  );
}

// Focusable and announced as disabled, so keyboard users reach the tooltip too.
function UpcomingLink({ item }: { item: NavItem }) {
  const { t } = useI18n();
  const Icon = item.icon;
  return (
    <Tooltip
      label={t('nav.comingSoon')}
      position="right"
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <MantineNavLink
        component="button"
        type="button"
        aria-disabled="true"
        label={t(item.labelKey)}
        leftSection={<Icon size={18} stroke={1.6} />}
        c="dimmed"
        style={{ cursor: 'not-allowed' }}
        onClick={(event) => event.preventDefault()}
      />
    </Tooltip>
  );
}

function NavEntryLink({ item, onNavigate }: { item: NavEntry; onNavigate: () => void }) {
  return isEnabledItem(item) ? (
    <EnabledLink item={item} onNavigate={onNavigate} />
  ) : (
    <UpcomingLink item={item} />
  );
}

function SectionLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
      {children}
    </Text>
  );
}

export function AppLayout() {
  const { t } = useI18n();
  const me = useMe();
  const [isNavOpen, nav] = useDisclosure(false);
  const [isPasswordOpen, passwordModal] = useDisclosure(false);
  const [isTwoFactorOpen, twoFactorModal] = useDisclosure(false);
  const [shellError, setShellError] = useState<unknown>(null);
  // One language switch in the DOM at a time: in the header, or in the navbar on phones.
  const isWide = useMediaQuery('(min-width: 36em)', true) ?? true;

  const workItems = visibleEntries(WORK_ITEMS, me.permissions);
  const complianceItems = visibleEntries(COMPLIANCE_ITEMS, me.permissions);
  const adminItems = visibleItems(ADMIN_ITEMS, me.permissions);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={isNavOpen}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <UnstyledButton component={NavLink} to="/" aria-label={t('app.name')}>
              <Logo isNameHiddenOnPhones />
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <OrgSwitcher onError={setShellError} />
            {isWide && <LanguageSwitch />}
            <UserMenu onChangePassword={passwordModal.open} onTwoFactor={twoFactorModal.open} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.label')}>
        <AppShell.Section grow component={ScrollArea}>
          <EnabledLink item={DASHBOARD_ITEM} onNavigate={nav.close} />
          <SectionLabel>{t('nav.sectionWork')}</SectionLabel>
          {workItems.map((item) => (
            <NavEntryLink key={item.labelKey} item={item} onNavigate={nav.close} />
          ))}
          <SectionLabel>{t('nav.sectionCompliance')}</SectionLabel>
          {complianceItems.map((item) => (
            <NavEntryLink key={item.labelKey} item={item} onNavigate={nav.close} />
          ))}
          {adminItems.length > 0 && <SectionLabel>{t('nav.sectionAdmin')}</SectionLabel>}
          {adminItems.map((item) => (
            <EnabledLink key={item.path} item={item} onNavigate={nav.close} />
          ))}
        </AppShell.Section>
        {!isWide && (
          <AppShell.Section pt="sm">
            <LanguageSwitch />
          </AppShell.Section>
        )}
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Box maw={1280} mx="auto">
          {shellError !== null && (
            <Box mb="md">
              <ErrorAlert
                error={shellError}
                title={t('shell.switchOrgFailed')}
                onClose={() => setShellError(null)}
              />
            </Box>
          )}
          {me.currentOrgId && <AcknowledgementPrompt key={me.currentOrgId} />}
          {/* A new organization means new data: remount the page so nothing stale stays. */}
          <Outlet key={me.currentOrgId ?? 'none'} />
        </Box>
      </AppShell.Main>

      <ChangePasswordModal opened={isPasswordOpen} onClose={passwordModal.close} />
      <TwoFactorModal opened={isTwoFactorOpen} onClose={twoFactorModal.close} />
    </AppShell>
  );
}
