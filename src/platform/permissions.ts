import type { Role } from './context.ts';

/**
 * What each role may do. Checked in services and routes; the UI hides what a role cannot use.
 * Marketers get analytics only and never see names, phones or emails.
 */
export const PERMISSIONS = {
  'logs.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'members.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'members.manage': ['owner', 'admin'],
  'tokens.manage': ['owner', 'admin'],
  'purposes.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'purposes.manage': ['owner', 'admin', 'privacy_officer'],
  'profile.manage': ['owner', 'admin', 'privacy_officer'],
  'contacts.read': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'leads.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer'],
  'leads.manage': ['owner', 'admin', 'front_desk'],
  'pipeline.manage': ['owner', 'admin'],
  'contacts.merge': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'notes.write': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'forms.manage': ['owner', 'admin', 'marketer', 'privacy_officer'],
  'forms.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'consent.read': ['owner', 'admin', 'front_desk', 'privacy_officer', 'auditor'],
  'consent.record': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'subjects.restrict': ['owner', 'admin', 'privacy_officer'],
  'incidents.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'incidents.manage': ['owner', 'admin', 'privacy_officer'],
  'requests.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'requests.manage': ['owner', 'admin', 'privacy_officer'],
  'retention.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'retention.manage': ['owner', 'admin', 'privacy_officer'],
  'call_lists.manage': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'contacts.export': ['owner', 'admin', 'privacy_officer'],
  'partners.manage': ['owner', 'admin', 'privacy_officer'],
  'transfers.send': ['owner', 'admin', 'privacy_officer'],
  'transfers.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'campaigns.read': ['owner', 'admin', 'marketer', 'privacy_officer', 'auditor'],
  'campaigns.manage': ['owner', 'admin', 'marketer'],
  'messaging.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'messaging.manage': ['owner', 'admin', 'privacy_officer'],
  'documents.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'documents.manage': ['owner', 'admin', 'privacy_officer'],
  'audit.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'audit.manage': ['owner', 'admin', 'privacy_officer'],
  'services.read': ['owner', 'admin', 'marketer', 'privacy_officer', 'auditor'],
  'services.manage': ['owner', 'admin', 'privacy_officer'],
  'rkn_notice.read': ['owner', 'admin', 'privacy_officer', 'auditor'],
  'rkn_notice.manage': ['owner', 'admin', 'privacy_officer'],
  'tasks.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'tasks.manage': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'site_check.run': ['owner', 'admin', 'marketer', 'privacy_officer'],
  'site_check.read': ['owner', 'admin', 'marketer', 'privacy_officer', 'auditor'],
  // End-to-end analytics: reports are de-identified, so the marketer sees all of them.
  'analytics.reports': ['owner', 'admin', 'marketer'],
  'analytics.spend': ['owner', 'admin', 'marketer'],
  'analytics.rules': ['owner', 'admin', 'marketer'],
  'appointments.read': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'appointments.manage': ['owner', 'admin', 'front_desk'],
  'clinic.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'clinic.manage': ['owner', 'admin'],
  'payments.read': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'payments.manage': ['owner', 'admin', 'front_desk'],
  'revenue.read': ['owner', 'admin', 'marketer'],
  'call_tracking.read': ['owner', 'admin', 'front_desk', 'marketer', 'privacy_officer', 'auditor'],
  'call_tracking.manage': ['owner', 'admin', 'marketer'],
  'telephony.manage': ['owner', 'admin'],
  'calls.recordings': ['owner', 'admin', 'front_desk', 'privacy_officer'],
  'calls.review': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role | null): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(role, permission));
}
