import {
  type Icon,
  IconAddressBook,
  IconBuildingBank,
  IconCalendarEvent,
  IconChartBar,
  IconChecklist,
  IconClipboardList,
  IconFileCertificate,
  IconFileExport,
  IconFileText,
  IconForms,
  IconHistory,
  IconHome,
  IconKey,
  IconMailCheck,
  IconMailOff,
  IconPhone,
  IconSend,
  IconServer,
  IconShare,
  IconShieldCheck,
  IconShieldExclamation,
  IconTargetArrow,
  IconTrashX,
  IconUserQuestion,
  IconUsers,
  IconWorldSearch,
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

/** A section of the navbar: working links, and the domains this version does not have yet. */
export type NavEntry = EnabledNavItem | NavItem;

export function isEnabledItem(item: NavEntry): item is EnabledNavItem {
  return 'path' in item;
}

export const DASHBOARD_ITEM: EnabledNavItem = {
  labelKey: 'nav.dashboard',
  icon: IconHome,
  path: '/',
  permission: null,
};

export const WORK_ITEMS: NavEntry[] = [
  {
    labelKey: 'nav.contacts',
    icon: IconAddressBook,
    path: '/contacts',
    permission: 'contacts.read',
    descriptionKey: 'dashboard.contactsDescription',
  },
  {
    labelKey: 'nav.leads',
    icon: IconTargetArrow,
    path: '/leads',
    permission: 'leads.read',
    descriptionKey: 'dashboard.leadsDescription',
  },
  { labelKey: 'nav.appointments', icon: IconCalendarEvent },
  {
    labelKey: 'nav.forms',
    icon: IconForms,
    path: '/forms',
    permission: 'forms.read',
    descriptionKey: 'dashboard.formsDescription',
  },
  {
    labelKey: 'nav.consents',
    icon: IconShieldCheck,
    path: '/consents',
    permission: 'consent.read',
    descriptionKey: 'dashboard.consentsDescription',
  },
  {
    labelKey: 'nav.callLists',
    icon: IconPhone,
    path: '/call-lists',
    permission: 'call_lists.manage',
    descriptionKey: 'dashboard.callListsDescription',
  },
  {
    labelKey: 'nav.exports',
    icon: IconFileExport,
    path: '/exports',
    permission: 'contacts.export',
    descriptionKey: 'dashboard.exportsDescription',
  },
  {
    labelKey: 'nav.messaging',
    icon: IconSend,
    path: '/campaigns',
    permission: 'campaigns.read',
    descriptionKey: 'dashboard.campaignsDescription',
  },
  {
    labelKey: 'nav.analytics',
    icon: IconChartBar,
    path: '/analytics',
    permission: 'analytics.reports' as Permission,
  },
];

export const COMPLIANCE_ITEMS: NavEntry[] = [
  {
    labelKey: 'nav.purposes',
    icon: IconClipboardList,
    path: '/purposes',
    permission: 'purposes.read',
    descriptionKey: 'dashboard.purposesDescription',
  },
  {
    labelKey: 'nav.operatorProfile',
    icon: IconBuildingBank,
    path: '/operator-profile',
    permission: 'purposes.read',
    descriptionKey: 'dashboard.operatorProfileDescription',
  },
  {
    labelKey: 'nav.tasks',
    icon: IconChecklist,
    path: '/tasks',
    permission: 'tasks.read',
    descriptionKey: 'dashboard.tasksDescription',
  },
  {
    labelKey: 'nav.servicesRegister',
    icon: IconServer,
    path: '/compliance/services',
    permission: 'services.read',
    descriptionKey: 'dashboard.servicesRegisterDescription',
  },
  {
    labelKey: 'nav.rknNotice',
    icon: IconFileCertificate,
    path: '/compliance/rkn-notice',
    permission: 'rkn_notice.read',
    descriptionKey: 'dashboard.rknNoticeDescription',
  },
  {
    labelKey: 'nav.documents',
    icon: IconFileText,
    path: '/compliance/documents',
    permission: 'documents.read',
    descriptionKey: 'dashboard.documentsDescription',
  },
  {
    labelKey: 'nav.audit',
    icon: IconChecklist,
    path: '/compliance/audit',
    permission: 'audit.read',
    descriptionKey: 'dashboard.auditDescription',
  },
  {
    labelKey: 'nav.incidents',
    icon: IconShieldExclamation,
    path: '/incidents',
    permission: 'incidents.read',
    descriptionKey: 'dashboard.incidentsDescription',
  },
  {
    labelKey: 'nav.subjectRequests',
    icon: IconUserQuestion,
    path: '/requests',
    permission: 'requests.read',
    descriptionKey: 'dashboard.requestsDescription',
  },
  {
    labelKey: 'nav.retention',
    icon: IconTrashX,
    path: '/retention',
    permission: 'retention.read',
    descriptionKey: 'dashboard.retentionDescription',
  },
  {
    labelKey: 'nav.transfers',
    icon: IconShare,
    path: '/transfers',
    permission: 'transfers.read',
    descriptionKey: 'dashboard.transfersDescription',
  },
  {
    labelKey: 'nav.suppressions',
    icon: IconMailOff,
    path: '/messaging/suppressions',
    permission: 'messaging.read',
    descriptionKey: 'dashboard.suppressionsDescription',
  },
  {
    labelKey: 'nav.siteCheck',
    icon: IconWorldSearch,
    path: '/site-check',
    permission: 'site_check.read',
    descriptionKey: 'dashboard.siteCheckDescription',
  },
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
  {
    labelKey: 'nav.deliverability',
    icon: IconMailCheck,
    path: '/settings/deliverability',
    permission: 'messaging.read',
    descriptionKey: 'dashboard.deliverabilityDescription',
  },
];

export function visibleItems(items: EnabledNavItem[], permissions: string[]): EnabledNavItem[] {
  return items.filter((item) => item.permission === null || permissions.includes(item.permission));
}

/** The entries of a section this user sees: permitted links and every upcoming domain. */
export function visibleEntries(items: NavEntry[], permissions: string[]): NavEntry[] {
  return items.filter(
    (item) =>
      !isEnabledItem(item) || item.permission === null || permissions.includes(item.permission),
  );
}

/** Every section the user may open, in navbar order: the dashboard's cards. */
export function sectionItems(permissions: string[]): EnabledNavItem[] {
  const enabled = [...WORK_ITEMS, ...COMPLIANCE_ITEMS].filter(isEnabledItem);
  return visibleItems([...enabled, ...ADMIN_ITEMS], permissions);
}
