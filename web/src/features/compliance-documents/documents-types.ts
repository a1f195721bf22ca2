export type DocumentKind =
  | 'policy'
  | 'responsible_order'
  | 'internal_regulation'
  | 'harm_assessment'
  | 'processing_record'
  | 'processing_record_en';

export type Gap = { code: string; message: string; purposeCode?: string };

export type DocumentVersion = {
  id: string;
  kind: DocumentKind;
  version: number;
  title: string;
  sha256: string;
  url: string;
  createdAt: string;
};

export type DocumentSummary = {
  kind: DocumentKind;
  title: string;
  latestUrl: string;
  latest: DocumentVersion | null;
  versionCount: number;
  gaps: Gap[];
  isOutdated: boolean;
};

export type DocumentList = { items: DocumentSummary[]; policyUrl: string | null };

export type GenerateResult = {
  created: DocumentVersion[];
  unchanged: DocumentKind[];
  refused: { kind: DocumentKind; gaps: Gap[] }[];
};

export type AcknowledgementStatus = {
  isRequired: boolean;
  document: DocumentVersion | null;
  hasAcknowledged: boolean;
  members: { userId: string; name: string; role: string; acknowledgedAt: string | null }[] | null;
};
