// The incident register's API shapes (src/incidents/incidents.schema.ts on the server).

export const INCIDENT_KINDS = [
  'leak',
  'unlawful_processing',
  'unauthorized_access',
  'loss',
  'other',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_STATUSES = ['open', 'notified', 'investigated', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_STEPS = [
  'notice24h',
  'report72h',
  'gdprNotice',
  'processingStopped',
  'dataDestroyed',
] as const;
export type IncidentStep = (typeof INCIDENT_STEPS)[number];

export type ClockState = 'pending' | 'overdue' | 'done' | 'done_late' | 'missed';

export type IncidentClock = {
  step: IncidentStep;
  clock: string;
  basis: string;
  dueAt: string;
  dueDate: string | null;
  doneAt: string | null;
  evidence: string | null;
  state: ClockState;
};

export type IncidentSummary = {
  id: string;
  number: number;
  title: string;
  kind: IncidentKind;
  status: IncidentStatus;
  detectedAt: string;
  gdprApplies: boolean;
  affectedSubjectsCount: number | null;
  clocks: IncidentClock[];
  nextClock: IncidentClock | null;
  isOverdue: boolean;
  closedAt: string | null;
  createdAt: string;
};

export type IncidentRecord = {
  id: string;
  type: 'contact' | 'access_log';
  contactId: string | null;
  accessLogId: number | null;
  accessEntry: {
    at: string;
    subjectType: string;
    subjectId: string;
    reason: string;
    actorUserId: string | null;
  } | null;
  createdAt: string;
};

export type IncidentEvent = {
  id: number;
  at: string;
  actor: { type: 'user' | 'token' | 'system'; id: string | null; label: string };
  action: string;
  details: Record<string, unknown>;
};

export const TEXT_FIELDS = [
  'description',
  'causes',
  'harm',
  'measures',
  'contactPerson',
  'investigation',
  'responsiblePersons',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export type IncidentDetail = IncidentSummary &
  Record<TextField, string | null> & {
    affectedCategories: string[];
    resolution: string | null;
    records: IncidentRecord[];
    events: IncidentEvent[];
    updatedAt: string;
  };

export type IncidentOverview = {
  openCount: number;
  overdueCount: number;
  items: IncidentSummary[];
};

export type NoticeDocument = 'notice-24h' | 'report-72h';

export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

export function noticeUrl(id: string, document: NoticeDocument, isDownload: boolean): string {
  const base = `/api/v1/incidents/${encodeURIComponent(id)}/texts/${document}`;
  return isDownload ? `${base}?download=1` : base;
}
