import { accessLogRoutes } from './access-log/access-log.routes.ts';
import { callTrackingRoutes } from './analytics/calls/calls.routes.ts';
import { channelRuleRoutes } from './analytics/channels/channel-rule-sets.routes.ts';
import { reportRoutes } from './analytics/reports/reports.routes.ts';
import { spendRoutes } from './analytics/spend/spend.routes.ts';
import { appointmentRoutes } from './appointments/appointments.routes.ts';
import { auditRoutes } from './compliance/audit/audit.routes.ts';
import { complianceDocumentRoutes } from './compliance/documents/documents.routes.ts';
import { rknNoticeRoutes } from './compliance/rkn-notice/rkn-notice.routes.ts';
import { serviceRoutes } from './compliance/services/services.routes.ts';
import { siteCheckRoutes } from './compliance/site-check/site-check.routes.ts';
import { consentRoutes } from './consent/consent.routes.ts';
import { contactRoutes } from './contacts/contacts.routes.ts';
import { formRoutes } from './forms/forms.routes.ts';
import { publicFormRoutes } from './forms/public-form.routes.ts';
import { incidentRoutes } from './incidents/incidents.routes.ts';
import { leadRoutes } from './leads/leads.routes.ts';
import { campaignRoutes } from './messaging/campaigns.routes.ts';
import { messagingRoutes } from './messaging/messaging.routes.ts';
import { outboundActionRoutes } from './messaging/outbound-actions.routes.ts';
import { authRoutes } from './orgs/auth.routes.ts';
import { memberRoutes } from './orgs/members.routes.ts';
import { twoFactorRoutes } from './orgs/two-factor.routes.ts';
import { paymentRoutes } from './payments/payments.routes.ts';
import type { RouteSpec } from './platform/http/route.ts';
import { purposeRoutes } from './purposes/purposes.routes.ts';
import { retentionRoutes } from './retention/retention.routes.ts';
import { requestRoutes } from './subject-requests/requests.routes.ts';
import { systemRoutes } from './system.routes.ts';
import { taskRoutes } from './tasks/tasks.routes.ts';
import { timelineRoutes } from './timeline/timeline.routes.ts';

/** Every API route, in one list: mounted by the app, described by /openapi.json, fuzzed by tests. */
export const ROUTES: readonly RouteSpec[] = [
  ...systemRoutes,
  ...authRoutes,
  ...twoFactorRoutes,
  ...memberRoutes,
  ...accessLogRoutes,
  ...purposeRoutes,
  ...formRoutes,
  ...publicFormRoutes,
  ...contactRoutes,
  ...leadRoutes,
  ...timelineRoutes,
  ...consentRoutes,
  ...retentionRoutes,
  ...requestRoutes,
  ...incidentRoutes,
  ...campaignRoutes,
  ...messagingRoutes,
  ...outboundActionRoutes,
  ...siteCheckRoutes,
  ...serviceRoutes,
  ...rknNoticeRoutes,
  ...taskRoutes,
  ...complianceDocumentRoutes,
  ...auditRoutes,
  ...spendRoutes,
  ...channelRuleRoutes,
  ...reportRoutes,
  ...appointmentRoutes,
  ...paymentRoutes,
  ...callTrackingRoutes,
];
