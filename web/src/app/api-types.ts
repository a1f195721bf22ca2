import type { Locale } from '../i18n/locale.ts';

export type Permission =
  | 'logs.read'
  | 'members.read'
  | 'members.manage'
  | 'tokens.manage'
  | 'purposes.read'
  | 'purposes.manage'
  | 'profile.manage'
  | 'forms.read'
  | 'forms.manage'
  | 'contacts.read'
  | 'leads.read'
  | 'consent.read'
  | 'consent.record'
  | 'subjects.restrict'
  | 'incidents.read'
  | 'incidents.manage'
  | 'requests.read'
  | 'requests.manage'
  | 'retention.read'
  | 'retention.manage'
  | 'campaigns.read'
  | 'campaigns.manage'
  | 'call_lists.manage'
  | 'contacts.export'
  | 'partners.manage'
  | 'transfers.send'
  | 'transfers.read'
  | 'messaging.read'
  | 'messaging.manage'
  | 'site_check.run'
  | 'site_check.read'
  | 'services.read'
  | 'services.manage'
  | 'rkn_notice.read'
  | 'rkn_notice.manage'
  | 'tasks.read'
  | 'tasks.manage'
  | 'documents.read'
  | 'documents.manage'
  | 'audit.read'
  | 'audit.manage';

export type Membership = {
  orgId: string;
  orgSlug: string;
  orgName: string;
  role: string;
};

export type Me = {
  user: { id: string; email: string; name: string; locale: Locale; twoFactor: boolean };
  memberships: Membership[];
  currentOrgId: string | null;
  role: string | null;
  permissions: string[];
  csrfToken: string;
};

export type SetupStatus = { needsSetup: boolean };

export type Actor = {
  type: 'user' | 'token' | 'system';
  id: string | null;
  label: string;
};

export type Page<T> = {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
};

export type AuditLogEntry = {
  id: number;
  at: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
};

export type AccessLogEntry = {
  id: number;
  at: string;
  actor: Actor;
  subjectType: string;
  subjectId: string;
  fields: string[];
  reason: string;
  route: string | null;
  requestId: string | null;
};

export type Member = {
  userId: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
};

export type ApiToken = {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

export type CreatedToken = { token: ApiToken; secret: string };

export type ItemList<T> = { items: T[] };

// Purposes, documents and the operator (src/purposes/purposes.schema.ts).

export const PURPOSE_KINDS = ['processing', 'advertising', 'transfer', 'distribution'] as const;
export type PurposeKind = (typeof PURPOSE_KINDS)[number];

export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'medical_care',
  'vital_interests',
  'legitimate_interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const CHANNELS = ['call', 'sms', 'email', 'messenger', 'transfer'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Processor = { name: string; address: string };

export type OperatorProfileBody = {
  legalName: string;
  address: string;
  inn?: string;
  ogrn?: string;
  responsibleName: string;
  responsibleContacts: string;
  processors: Processor[];
  rknRegisterNumber?: string;
  policyUrl?: string;
};

export type OperatorProfile = OperatorProfileBody & { updatedAt: string };

export type DataCategory = { code: string; title: string; isSpecial: boolean };

export type Recipient = { name: string; address: string; country: string };

export type PurposeVersion = {
  id: string;
  version: number;
  title: string;
  legalBasis: LegalBasis;
  dataCategories: DataCategory[];
  subjectCategories: string[];
  actions: string[];
  methods: string;
  channels: Channel[];
  recipients: Recipient[];
  retentionDays: number;
  isWrittenConsentRequired: boolean;
  createdAt: string;
};

export type ConsentDocument = {
  id: string;
  purposeId: string;
  purposeCode: string;
  purposeVersion: number;
  version: number;
  title: string;
  body: string;
  sha256: string;
  url: string;
  createdAt: string;
};

export type Purpose = {
  id: string;
  code: string;
  kind: PurposeKind;
  currentVersion: PurposeVersion;
  document: ConsentDocument | null;
  archivedAt: string | null;
};

/** The body of PUT /purposes/:code; POST adds `code` and `kind`. */
export type PurposeUpdateBody = {
  title: string;
  legalBasis: LegalBasis;
  dataCategories: DataCategory[];
  subjectCategories: string[];
  actions: string[];
  methods: string;
  channels: Channel[];
  recipients: Recipient[];
  retentionDays: number;
  isWrittenConsentRequired: boolean;
  template?: string;
};

export type PurposeBody = PurposeUpdateBody & { code: string; kind: PurposeKind };

export type PurposeHistory = {
  code: string;
  kind: string;
  versions: PurposeVersion[];
  documents: ConsentDocument[];
};

// Forms (src/forms/forms.schema.ts).

export const FORM_FIELD_TYPES = ['text', 'tel', 'email', 'textarea'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FORM_STATUSES = ['draft', 'published', 'archived'] as const;
export type FormStatus = (typeof FORM_STATUSES)[number];

export type FormField = {
  name: string;
  label: string;
  type: FormFieldType;
  isRequired: boolean;
  category?: string;
  maxLength: number;
};

/** One checkbox: the server takes a list, but a checkbox carries exactly one purpose. */
export type FormConsent = { purposes: string[]; isRequired: boolean };

export type FormDefinition = {
  fields: FormField[];
  consents: FormConsent[];
  submitLabel: string;
  thankYou: { title: string; text: string };
  redirectUrl?: string;
};

export type FormWarning = { field: string; code: 'not_covered_by_purpose'; message: string };

export type FormView = {
  id: string;
  slug: string;
  title: string;
  status: FormStatus;
  version: number;
  definition: FormDefinition;
  warnings: FormWarning[];
  hostedUrl: string;
  embedCode: string;
  postUrl: string;
  createdAt: string;
  updatedAt: string;
};

export type FormBody = {
  slug: string;
  title: string;
  definition: FormDefinition;
  status: FormStatus;
};

// Contacts and leads (src/contacts, src/leads).

export type Contact = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** The subject's key was destroyed: the data is gone for good. */
  isShredded: boolean;
  /** 'blocked' for a check (shown to the privacy officer only) or 'stopped' on demand. */
  restriction: 'blocked' | 'stopped' | null;
  createdAt: string;
  updatedAt: string;
};

export type Lead = {
  id: string;
  status: string;
  source: string;
  attribution: Record<string, string>;
  formId: string | null;
  createdAt: string;
  /** Null for roles that work on de-identified data (marketers). */
  contact: { id: string; name: string | null; phone: string | null; email: string | null } | null;
};

// The consent journal (src/consent/consent.schema.ts).

export const CONSENT_EVENTS = ['given', 'withdrawn', 'expired', 'renewed'] as const;
export type ConsentEvent = (typeof CONSENT_EVENTS)[number];

export const CONSENT_CHANNELS = ['web_form', 'phone', 'paper', 'staff', 'portal', 'email'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export type ConsentEvidence = {
  ip: string | null;
  userAgent: string | null;
  pageUrl: string | null;
  recordingRef: string | null;
  scriptVersion: string | null;
  scanRef: string | null;
  note: string | null;
};

export type JournalEntry = {
  id: string;
  /** Position in the organization's hash chain; null until the chainer links it. */
  position: number | null;
  linkHash: string | null;
  contentSha256: string;
  event: ConsentEvent;
  contactId: string;
  purposeCode: string;
  purposeVersion: number;
  documentId: string | null;
  documentVersion: number | null;
  documentSha256: string | null;
  documentUrl: string | null;
  channel: ConsentChannel;
  formId: string | null;
  submissionId: string | null;
  actorUserId: string | null;
  at: string;
  expiresAt: string | null;
  /** shown: decrypted for this role; hidden: not for this role; shredded; none recorded. */
  evidenceState: 'shown' | 'hidden' | 'shredded' | 'unreadable' | 'none';
  evidence: ConsentEvidence | null;
};

export type JournalBreak = {
  entryId: string | null;
  position: number;
  reason: string;
  description: string;
};

export type JournalVerification = {
  isIntact: boolean;
  entries: number;
  checkpoints: number;
  unchained: number;
  head: { position: number; linkHash: string } | null;
  firstBroken: JournalBreak | null;
  verifiedAt: string;
};

export type ConsentCheckpoint = {
  id: number;
  position: number;
  linkHash: string;
  signedAt: string;
  /** Ed25519 signature of `signedMessage` (UTF-8), base64. */
  signature: string;
  signedMessage: string;
};

export type ConsentProof = {
  entryId: string;
  event: ConsentEvent;
  channel: ConsentChannel;
  at: string;
  purposeCode: string;
  purposeVersion: number;
  content: { fields: string[]; values: (string | null)[]; sha256: string };
  document: {
    id: string;
    version: number;
    title: string;
    text: string;
    sha256: string;
    url: string;
    isIntact: boolean;
  } | null;
  chain: { position: number; prevHash: string; linkHash: string; formula: string };
  path: { position: number; entryId: string; contentSha256: string; linkHash: string }[];
  checkpoint: ConsentCheckpoint;
  publicKey: { algorithm: 'Ed25519'; spkiBase64: string; pem: string };
};

export type StaffConsentBody =
  | {
      channel: 'phone';
      purposeCode: string;
      recordingRef: string;
      scriptVersion: string;
      note?: string;
    }
  | { channel: 'paper'; purposeCode: string; scanRef: string; note?: string };

export type WithdrawBody = { recordingRef?: string; scanRef?: string; note?: string };

export type RecordedConsent = { entry: JournalEntry; isNew: boolean };

/** A right password on an account with a second factor: the sign-in waits for a code. */
export type LoginChallenge = { twoFactor: 'required'; challenge: string; expiresAt: string };
