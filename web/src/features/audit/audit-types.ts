export type AuditItemCode =
  | 'registry_complete'
  | 'policy_published'
  | 'responsible_appointed'
  | 'rkn_notice_current'
  | 'services_localized'
  | 'consent_texts_complete'
  | 'retention_terms_set'
  | 'staff_acknowledgements'
  | 'access_log_review'
  | 'backups_verified';

export type Evidence = {
  id: string;
  kind: 'file' | 'document' | 'check';
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  documentId: string | null;
  documentUrl: string | null;
  documentTitle: string | null;
  checkStatus: string | null;
  checkSummary: string | null;
  note: string | null;
  createdAt: string;
};

export type AuditItem = {
  code: AuditItemCode;
  title: string;
  isAutomatic: boolean;
  check: {
    status: 'passed' | 'failed' | 'not_available';
    summary: string;
    details: Record<string, unknown>;
    checkedAt: string;
  } | null;
  isClosed: boolean;
  closedAt: string | null;
  note: string | null;
  evidence: Evidence[];
};

export type Checklist = {
  id: string;
  year: number;
  createdAt: string;
  completedAt: string | null;
  progress: { closed: number; total: number };
  items: AuditItem[];
};
