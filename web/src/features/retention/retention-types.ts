import type { I18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/ru.ts';

export const TASK_STATUSES = ['pending', 'held', 'done', 'kept_other_basis', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_REASONS = [
  'consent_withdrawn',
  'purpose_achieved',
  'term_ended',
  'request',
  'unlawful',
] as const;
export type TaskReason = (typeof TASK_REASONS)[number];
export const TRIGGER_KINDS = ['lead_lost', 'no_activity_days'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export type Decision = 'destroy' | 'held' | 'kept_other_basis' | 'cancelled';

export type DestructionTask = {
  id: string;
  contactId: string;
  purposeCode: string | null;
  reason: TaskReason;
  sourceRef: string | null;
  receivedAt: string;
  dueAt: string;
  status: TaskStatus;
  outcome: Record<string, unknown>;
  actId: string | null;
  createdAt: string;
  decidedAt: string | null;
};

export type PurposeRetention = {
  purposeId: string;
  code: string;
  title: string;
  kind: string;
  legalBasis: string;
  retentionDays: number;
  isArchived: boolean;
  triggers: { kind: TriggerKind; days: number | null }[];
};

export type LegalHold = {
  id: string;
  contactId: string | null;
  reason: string;
  untilAt: string | null;
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
  releasedAt: string | null;
  releaseReason: string | null;
};

export type RetentionRun = {
  id: string;
  startedAt: string;
  actor: string;
  destroyed: number;
  kept: number;
  held: number;
  actsPurged: number;
  actId: string | null;
};

export type RunResult = {
  runId: string | null;
  isDryRun: boolean;
  at: string;
  subjects: {
    contactId: string;
    name: string | null;
    decision: Decision;
    reasons: TaskReason[];
    keptFor: string[];
    dueAt: string;
  }[];
  destroyed: number;
  held: number;
  kept: number;
  actId: string | null;
  actNumber: number | null;
  actsPurged: number;
};

export type ActSummary = {
  id: string;
  number: number;
  destroyedAt: string;
  subjectsCount: number;
  categories: string[];
  reasons: string[];
  keepUntil: string;
};

export type Act = ActSummary & {
  content: {
    number: number;
    date: string;
    operator: { name: string; address: string; inn: string | null; ogrn: string | null };
    processors: { name: string; address: string }[];
    subjects: {
      contactId: string;
      name: string | null;
      phone: string | null;
      email: string | null;
    }[];
    destroyedBy: { name: string; position: string; signature: string }[];
    categories: string[];
    informationSystem: string;
    method: string;
    reasons: { code: string; text: string; subjects: number }[];
    extract: {
      informationSystem: string;
      generatedAt: string;
      entries: {
        contactId: string;
        subject: string;
        categories: string[];
        reason: string;
        destroyedAt: string;
        operations: { table: string; action: string; rows: number }[];
      }[];
    };
  };
  contentSha256: string;
  signature: string;
  publicKey: string;
  isSignatureValid: boolean;
};

export const STATUS_COLOR: Record<TaskStatus, string> = {
  pending: 'blue',
  held: 'yellow',
  done: 'green',
  kept_other_basis: 'teal',
  cancelled: 'gray',
};

export const DECISION_COLOR: Record<Decision, string> = {
  destroy: 'red',
  held: 'yellow',
  kept_other_basis: 'teal',
  cancelled: 'gray',
};

export function statusLabel(i18n: I18n, status: TaskStatus): string {
  return i18n.t(`retention.status.${status}` as MessageKey);
}

export function reasonLabel(i18n: I18n, reason: string): string {
  return (TASK_REASONS as readonly string[]).includes(reason)
    ? i18n.t(`retention.reason.${reason}` as MessageKey)
    : reason;
}

export function decisionLabel(i18n: I18n, decision: Decision): string {
  return i18n.t(`retention.decision.${decision}` as MessageKey);
}

export function triggerLabel(i18n: I18n, kind: TriggerKind): string {
  return i18n.t(`retention.trigger.${kind}` as MessageKey);
}

const BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'medical_care',
  'vital_interests',
  'legitimate_interests',
];

/** "consent:marketing" or "contract:treatment" as the privacy officer reads it. */
export function basisLabel(i18n: I18n, basis: string): string {
  const [kind = '', code = ''] = basis.split(':');
  const title = BASES.includes(kind) ? i18n.t(`retention.basis.${kind}` as MessageKey) : kind;
  return i18n.t('retention.keptForItem', { basis: title, code });
}

const DAY_MS = 86_400_000;

/** Red when a pending task is overdue, orange within a week: the run should pick it up. */
export function urgencyColor(task: DestructionTask, now: number): string | undefined {
  if (task.status !== 'pending' && task.status !== 'held') return undefined;
  const left = new Date(task.dueAt).getTime() - now;
  if (left <= 0) return 'red';
  if (left <= 7 * DAY_MS) return 'orange';
  return undefined;
}

export function daysUntil(iso: string, now: number): number {
  return Math.ceil((new Date(iso).getTime() - now) / DAY_MS);
}
