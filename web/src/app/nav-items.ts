import {
  type Icon,
  IconAddressBook,
  IconCalendarEvent,
  IconChartBar,
  IconForms,
  IconHistory,
  IconHome,
  IconKey,
  IconScale,
  IconSend,
  IconShieldCheck,
  IconTargetArrow,
  IconUserQuestion,
  IconUsers,
} from '@tabler/icons-react';
import type { MessageKey } from '../i18n/ru.ts';
import type { Permission } from './api-types.ts';

export type NavItem = {
  labelKey: MessageKey;
  icon: Icon;
};

export type EnabledNavItem = NavItem & {
  path: string;
  /** Shown only when /me lists this permission; the dashboard needs none. */
  permission: Permission | null;
  descriptionKey?: MessageKey;
};

export const DASHBOARD_ITEM: EnabledNavItem = {
  labelKey: 'nav.dashboard',
  icon: IconHome,
  path: '/',
  permission: null,
};

// The domains of the product plan that this version does not have yet; shown disabled.
export const UPCOMING_ITEMS: NavItem[] = [
  { labelKey: 'nav.contacts', icon: IconAddressBook },
  { labelKey: 'nav.leads', icon: IconTargetArrow },
  { labelKey: 'nav.appointments', icon: IconCalendarEvent },
  { labelKey: 'nav.forms', icon: IconForms },
  { labelKey: 'nav.consents', icon: IconShieldCheck },
  { labelKey: 'nav.subjectRequests', icon: IconUserQuestion },
  { labelKey: 'nav.messaging', icon: IconSend },
  { labelKey: 'nav.analytics', icon: IconChartBar },
  { labelKey: 'nav.compliance', icon: IconScale },
];

export const ADMIN_ITEMS: EnabledNavItem[] = [
  {
    labelKey: 'nav.members',
    icon: IconUsers,
    path: '/members',
    permission: 'members.read',
    descriptionKey: 'dashboard.membersDescription',
  },
  {
    labelKey: 'nav.tokens',
    icon: IconKey,
    path: '/tokens',
    permission: 'tokens.manage',
    descriptionKey: 'dashboard.tokensDescription',
  },
  {
    labelKey: 'nav.logs',
    icon: IconHistory,
    path: '/logs',
    permission: 'logs.read',
    descriptionKey: 'dashboard.logsDescription',
  },
];

export function visibleItems(items: EnabledNavItem[], permissions: string[]): EnabledNavItem[] {
  return items.filter((item) => item.permission === null || permissions.includes(item.permission));
}
