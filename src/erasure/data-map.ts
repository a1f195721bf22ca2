/**
 * The declared data map: every table of the schema, and for each one that holds a subject's
 * rows, how it is found, exported (portability, R-G3) and destroyed (R-D4, R-D5). Erasure and
 * the subject's export are driven by this list only, so a table left out would keep a person's
 * data for ever: a test compares it with the live catalogue and fails on any table missing
 * here, and on any table with a `contact_id` column that is not mapped as a subject table.
 *
 * Sealed columns (`*_enc`) are AES-GCM under the subject's key, bound to `<table>:<id>:<name>`
 * (name without `_enc`) unless the entry says they are sealed under the organization's key.
 */
export type EraseAction =
  /** The rows exist only for the subject: deleted. */
  | { action: 'delete' }
  /** The rows stay as anonymous records (leads for aggregates): personal columns are emptied. */
  | { action: 'deidentify'; nullColumns: readonly string[]; stripJson?: StripJson }
  /** The rows stay as proof or history; their personal data is ciphertext under the destroyed key. */
  | { action: 'shred'; why: string }
  /** The rows stay untouched: no personal data beyond the link, kept by law or for proof. */
  | { action: 'keep'; why: string };

type StripJson = { column: string; keys: readonly string[] };

export type SubjectTable = {
  table: string;
  kind: 'subject';
  /** The column holding the contact's id (`id` for contacts itself). */
  subjectColumn: string;
  /** Category of personal data, as the subject reads it in the portal and the answer. */
  category: { ru: string; en: string };
  /** Whether the subject's export includes these rows; false only with a reason. */
  exported: true | { why: string };
  /** Columns sealed under the organization's key rather than the subject's. */
  orgSealed?: readonly string[];
  erase: EraseAction;
};

export type OtherTable = {
  table: string;
  kind: 'none';
  /** Why the table holds no data subject's personal data (or holds staff data only). */
  why: string;
};

export type DataMapEntry = SubjectTable | OtherTable;

// Campaign tags stay for the channel reports; what can single out a visit goes, and with the
// visitor and session ids the link from the lead to the person's browsing.
const IDENTIFYING_ATTRIBUTION = [
  'yclid',
  'gclid',
  'vkclid',
  'referrer',
  'landing_page',
  'visitor_id',
  'session_id',
] as const;

/**
 * Order matters for erasure: rows referring to others come first. Tables added by a change
 * are added here in the same change.
 */
export const DATA_MAP: readonly DataMapEntry[] = [
  // The subject's own records.
  {
    table: 'portal_sessions',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Входы в раздел «Мои данные»', en: 'Sign-ins to “My data”' },
    exported: true,
    erase: { action: 'delete' },
  },
  {
    table: 'portal_codes',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Коды для входа', en: 'Sign-in codes' },
    exported: { why: 'Keyed hashes of one-time codes, useless to anyone once used or expired' },
    erase: { action: 'delete' },
  },
  {
    table: 'mail_outbox',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Сообщения, отправленные вам', en: 'Messages sent to you' },
    exported: true,
    erase: { action: 'delete' },
  },
  {
    table: 'campaign_recipients',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Очередь рассылок', en: 'Mailing queue' },
    exported: true,
    // A queued message the person will no longer get; the send log keeps the proof.
    erase: { action: 'delete' },
  },
  {
    table: 'outbound_messages',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Рассылки и сообщения вам', en: 'Mailings and messages to you' },
    exported: true,
    erase: {
      action: 'shred',
      why: 'The send log proves which consent allowed each message (38-FZ Art. 18, 126-FZ Art. 44.1); the recipient is ciphertext under the destroyed key',
    },
  },
  {
    table: 'suppressions',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Отказы от рассылок', en: 'Opt-outs from mailings' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'The opt-out must keep holding (38-FZ Art. 18 p.1); ids, channel and reason only',
    },
  },
  {
    table: 'call_list_entries',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Списки обзвона', en: 'Call lists' },
    exported: true,
    erase: { action: 'delete' },
  },
  {
    table: 'contact_export_entries',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Выгрузки контактов', en: 'Contact exports' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'Proof of what was exported under which answer of the outbound check (R-L6); ids and reasons only',
    },
  },
  {
    table: 'transfers',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Передача данных третьим лицам', en: 'Transfers to third parties' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'Proof of each transfer, the recipient and the consent that allowed it (152-FZ Art. 9 p.4); ids, statuses and reasons only',
    },
  },
  {
    table: 'submissions',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Заявки с форм сайта', en: 'Website form submissions' },
    exported: true,
    erase: {
      action: 'deidentify',
      nullColumns: ['fields_enc'],
      stripJson: { column: 'attribution', keys: IDENTIFYING_ATTRIBUTION },
    },
  },
  {
    table: 'leads',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Обращения', en: 'Enquiries' },
    exported: true,
    erase: {
      action: 'deidentify',
      nullColumns: [],
      stripJson: { column: 'attribution', keys: IDENTIFYING_ATTRIBUTION },
    },
  },
  {
    table: 'analytics_visitor_contacts',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: {
      ru: 'Связь ваших посещений сайта с вашими обращениями',
      en: 'The link between your website visits and your enquiries',
    },
    exported: true,
    // The only link from pseudonymous visits to the person: gone, the visits are anonymous.
    erase: { action: 'delete' },
  },
  {
    table: 'analytics_conversions',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: {
      ru: 'Обращения, записи и оплаты в отчётах по рекламе',
      en: 'Enquiries, bookings and payments in advertising reports',
    },
    exported: true,
    // Kind, time, value, channel and path stay as anonymous aggregates for the reports.
    erase: { action: 'deidentify', nullColumns: ['contact_id', 'visitor_id', 'session_id'] },
  },
  {
    table: 'calls',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Звонки в клинику', en: 'Calls to the clinic' },
    exported: true,
    // The call stays as an anonymous count for the channel reports; the caller's number, the
    // recording's address and the reviewer's note go.
    erase: {
      action: 'deidentify',
      nullColumns: ['caller_enc', 'caller_index', 'recording_enc', 'quality_note_enc'],
    },
  },
  {
    table: 'consent_journal',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Согласия и их отзыв', en: 'Consents and withdrawals' },
    exported: true,
    erase: {
      action: 'shred',
      why: 'Append-only proof (R-C3); its evidence is ciphertext under the destroyed key, so the chain stays verifiable',
    },
  },
  {
    table: 'consent_states',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Согласия и их отзыв', en: 'Consents and withdrawals' },
    exported: {
      why: 'Each row is the latest journal entry of a purpose, exported with the journal',
    },
    erase: {
      action: 'keep',
      why: 'A projection of the append-only journal (ids, event, dates); it follows the journal',
    },
  },
  {
    table: 'mail_feedback',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Отказы от рассылок', en: 'Opt-outs from mailings' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'A complaint or bounce keeps the address suppressed and counts in the complaint rate (R-E2); ids, kind and source only',
    },
  },
  {
    table: 'consent_receipts',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Квитанции о согласии', en: 'Consent receipts' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'A signed receipt names the person by a pseudonymous id only; it is the proof the person holds',
    },
  },
  {
    table: 'subject_blocks',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Ограничения обработки', en: 'Processing restrictions' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'History of blocks and stops: ids and reasons, no personal data',
    },
  },
  {
    table: 'subject_tombstones',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Отметка об уничтожении', en: 'Record of destruction' },
    exported: { why: 'Written at erasure, after which there is nothing left to export' },
    erase: {
      action: 'keep',
      why: 'Keyed hashes only, so a returning person can be matched to past proof',
    },
  },
  {
    table: 'subject_requests',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Ваши запросы и ответы на них', en: 'Your requests and their answers' },
    exported: true,
    erase: {
      action: 'shred',
      why: 'The requests register (152-FZ Art. 14, 20, 21) proves each request was answered in time; the requester, details, identity record and answer are ciphertext under the destroyed key',
    },
  },
  {
    table: 'incident_records',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Инциденты, затронувшие ваши данные', en: 'Incidents that affected your data' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'The incident register documents every breach (152-FZ Art. 21 p.3.1, GDPR Art. 33(5)); a link holds the contact id only',
    },
  },
  {
    table: 'destruction_tasks',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Сроки уничтожения ваших данных', en: 'When your data is to be destroyed' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'Proof that destruction was scheduled and carried out in time (152-FZ Art. 21 p.4–5): ids, reasons and dates only',
    },
  },
  {
    table: 'processing_bases',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: {
      ru: 'Договоры и иные основания обработки, кроме согласия',
      en: 'Contracts and other grounds for processing besides consent',
    },
    exported: true,
    erase: { action: 'delete' },
  },
  {
    table: 'legal_holds',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Запреты на уничтожение данных', en: 'Holds on destroying your data' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'A hold records why data had to be kept (a dispute, an inspection); it names a case, not the person',
    },
  },
  {
    table: 'contact_notes',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Заметки сотрудников о вас', en: 'Staff notes about you' },
    exported: true,
    erase: { action: 'delete' },
  },
  {
    table: 'contact_name_tokens',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Имя и контактные данные', en: 'Name and contact details' },
    exported: { why: 'Keyed hashes of name words for search, useless without the key' },
    erase: { action: 'delete' },
  },
  {
    table: 'contacts',
    kind: 'subject',
    subjectColumn: 'id',
    category: { ru: 'Имя и контактные данные', en: 'Name and contact details' },
    exported: true,
    erase: {
      action: 'deidentify',
      nullColumns: ['name_enc', 'phone_enc', 'email_enc', 'phone_index', 'email_index'],
    },
  },

  // No data subject's personal data.
  { table: 'schema_migrations', kind: 'none', why: 'Schema versions' },
  { table: 'spend_imports', kind: 'none', why: 'Advertising spend imports: money per campaign' },
  { table: 'spend_entries', kind: 'none', why: 'Advertising spend per channel, campaign, keyword' },
  { table: 'channel_rule_sets', kind: 'none', why: 'The organization’s channel rules' },
  {
    table: 'call_tracking_settings',
    kind: 'none',
    why: 'The call-tracking snippet key and the clinic’s own numbers',
  },
  { table: 'number_pools', kind: 'none', why: 'Dynamic tracking-number pools' },
  { table: 'tracking_numbers', kind: 'none', why: 'The clinic’s tracking numbers' },
  {
    table: 'number_leases',
    kind: 'none',
    why: 'Which pseudonymous visit was shown which number when: campaign fields and daily-rotating or tracker ids, no contact and no address',
  },
  { table: 'pool_demand', kind: 'none', why: 'Lease requests and exhaustions per pool and hour' },
  {
    table: 'telephony_integrations',
    kind: 'none',
    why: 'PBX accounts; their secrets sealed under the organization’s key',
  },
  {
    table: 'call_events',
    kind: 'none',
    why: 'Provider event ids and times, for idempotency; the caller is on the call row',
  },
  { table: 'organizations', kind: 'none', why: 'Operators (legal entities)' },
  { table: 'users', kind: 'none', why: 'Staff accounts, encrypted; not data subjects of the CRM' },
  { table: 'memberships', kind: 'none', why: 'Staff roles' },
  { table: 'sessions', kind: 'none', why: 'Staff sign-in sessions' },
  { table: 'login_attempts', kind: 'none', why: 'Keyed hashes of staff sign-in attempts' },
  { table: 'user_recovery_codes', kind: 'none', why: 'Hashes of staff two-factor recovery codes' },
  { table: 'login_challenges', kind: 'none', why: 'Staff sign-ins waiting for the second factor' },
  { table: 'api_tokens', kind: 'none', why: 'Integration tokens (hashed)' },
  {
    table: 'audit_log',
    kind: 'none',
    why: 'Staff actions by record id; kept as the event log R-L6 and Order 179 rely on',
  },
  {
    table: 'access_log',
    kind: 'none',
    why: 'Reads of personal data by record id, no values; kept as the event log (R-L6)',
  },
  { table: 'operator_profiles', kind: 'none', why: 'The operator and its responsible person' },
  { table: 'purposes', kind: 'none', why: 'The purpose registry' },
  { table: 'purpose_versions', kind: 'none', why: 'The purpose registry' },
  { table: 'consent_documents', kind: 'none', why: 'Consent texts, the same for everyone' },
  { table: 'forms', kind: 'none', why: 'Form definitions' },
  { table: 'segments', kind: 'none', why: 'Saved filters of campaign audiences' },
  {
    table: 'campaigns',
    kind: 'none',
    why: 'Campaign texts, approvers and counts; recipients are in campaign_recipients',
  },
  { table: 'org_keys', kind: 'none', why: 'Wrapped organization keys' },
  {
    table: 'subject_keys',
    kind: 'none',
    why: 'Left empty: subject keys live in the key store apart from the data',
  },
  { table: 'consent_chain', kind: 'none', why: 'Hashes linking journal entries' },
  { table: 'consent_checkpoints', kind: 'none', why: 'Signed chain heads' },
  {
    table: 'subject_request_events',
    kind: 'none',
    why: 'Status changes of requests by id; free-text notes are sealed under the subject’s key and die with it',
  },
  {
    table: 'staff_notifications',
    kind: 'none',
    why: 'Reminders for staff: a request reference, its type and due date, no personal data',
  },
  {
    table: 'destruction_acts',
    kind: 'none',
    why: 'Acts of destruction and event-log extracts (R-D6, RKN Order 179): the destroyed subjects are named inside, sealed under the organization key, and each act is purged after three years',
  },
  { table: 'retention_runs', kind: 'none', why: 'Counts and times of retention runs' },
  { table: 'retention_triggers', kind: 'none', why: 'Per-purpose retention settings' },
  { table: 'call_lists', kind: 'none', why: 'Call list headers: purpose, filter and counts' },
  { table: 'contact_exports', kind: 'none', why: 'Export headers: who, when, purpose and counts' },
  {
    table: 'partners',
    kind: 'none',
    why: 'Third parties data is transferred to; the signing secret is sealed under the organization key',
  },
  {
    table: 'incidents',
    kind: 'none',
    why: 'The incident register; its free text is sealed under the organization key, and people are linked through incident_records, not named',
  },
  {
    table: 'compliance_documents',
    kind: 'none',
    why: 'Generated policy, orders and records: the operator, its responsible person and the purpose registry, no data subject',
  },
  {
    table: 'compliance_settings',
    kind: 'none',
    why: 'Per-organization switch: acknowledgement required before access to personal data',
  },
  {
    table: 'staff_acknowledgements',
    kind: 'none',
    why: 'Staff data only: which member acknowledged which document version (its hash) and when',
  },
  {
    table: 'audit_checklists',
    kind: 'none',
    why: 'The annual audit checklist of the organization: year and completion',
  },
  {
    table: 'audit_items',
    kind: 'none',
    why: 'Audit items: codes, automatic check results as counts and codes, notes about the operator',
  },
  {
    table: 'site_checks',
    kind: 'none',
    why: 'Site checker history: scores, finding codes and evidence about the operator’s own web pages (service names, form ids and targets); the page itself is not kept and no visitor’s data is read',
  },
  {
    table: 'audit_evidence',
    kind: 'none',
    why: 'Audit evidence: staff-uploaded artefacts about the organization (orders, backup logs), document links and check results; uploads must not hold patients’ data',
  },
  {
    table: 'incident_events',
    kind: 'none',
    why: 'Timeline of the incident register: ids, field names, times and evidence references',
  },
  {
    table: 'compliance_services',
    kind: 'none',
    why: 'The services register: the operator’s suppliers with their server country, role and contract reference',
  },
  {
    table: 'cross_border_notices',
    kind: 'none',
    why: 'Cross-border transfer notices: facts about purposes, categories and foreign recipients, no data subject',
  },
  {
    table: 'rkn_notice_settings',
    kind: 'none',
    why: 'Notice settings: database locations, dates, protection level and a fingerprint',
  },
  {
    table: 'rkn_notice_filings',
    kind: 'none',
    why: 'Filings of the Roskomnadzor notice: the operator’s fields as filed, the date and reference',
  },
  {
    table: 'analytics_sites',
    kind: 'none',
    why: 'Sites that send analytics events: a name, a public key and allowed origins',
  },
  {
    table: 'analytics_salts',
    kind: 'none',
    why: 'Random daily salts of the cookieless visitor hash, deleted after a day',
  },
  {
    table: 'analytics_visitors',
    kind: 'none',
    why: 'Pseudonymous visitor ids (a daily hash or a random id); the link to a person is in analytics_visitor_contacts',
  },
  {
    table: 'analytics_sessions',
    kind: 'none',
    why: 'Visits of pseudonymous visitors: campaign tags, channel and addresses stripped of personal parameters; no IP address is stored',
  },
  {
    table: 'analytics_page_views',
    kind: 'none',
    why: 'Page views of pseudonymous sessions: addresses stripped of personal parameters',
  },
  {
    table: 'analytics_ingest_batches',
    kind: 'none',
    why: 'Ids and sizes of accepted event batches, kept two days to ignore retries',
  },
  {
    table: 'payments',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Оплаты', en: 'Payments' },
    exported: true,
    erase: {
      action: 'keep',
      why: 'Accounting records kept by law (402-FZ Art. 29, five years): amounts, dates and services, no personal data beyond the link',
    },
  },
  {
    table: 'appointments',
    kind: 'subject',
    subjectColumn: 'contact_id',
    category: { ru: 'Записи на приём', en: 'Appointments' },
    exported: true,
    erase: {
      action: 'shred',
      why: 'Visits stay for revenue and schedule history; the comment is ciphertext under the destroyed key',
    },
  },
  {
    table: 'appointment_events',
    kind: 'none',
    why: 'Status history of an appointment: statuses, times and staff ids, no personal data',
  },
  {
    table: 'appointment_cells',
    kind: 'none',
    why: 'The slot key: which 5-minute cells of a specialist an appointment holds',
  },
  {
    table: 'appointment_reminders',
    kind: 'none',
    why: 'Which reminder went by which channel: ids, statuses and the gate reason, no personal data',
  },
  {
    table: 'appointment_settings',
    kind: 'none',
    why: 'Per-organization settings of reminders and the booking page',
  },
  {
    table: 'branches',
    kind: 'none',
    why: 'The clinic’s branches: names, addresses, time zones',
  },
  {
    table: 'specialists',
    kind: 'none',
    why: 'Staff (doctors) named publicly on the booking page, not data subjects of the register',
  },
  {
    table: 'specialist_services',
    kind: 'none',
    why: 'Which specialist provides which service',
  },
  {
    table: 'clinic_services',
    kind: 'none',
    why: 'The price list: services, durations, prices',
  },
  {
    table: 'work_schedules',
    kind: 'none',
    why: 'Weekly working hours of specialists',
  },
  {
    table: 'schedule_exceptions',
    kind: 'none',
    why: 'Days off and vacations of specialists: a kind, dates and a short staff note',
  },
  {
    table: 'tasks',
    kind: 'none',
    why: 'Staff tasks: plain titles that must not name people, a due date and a related entity id',
  },
  {
    table: 'pipeline_stages',
    kind: 'none',
    why: 'The organization’s pipeline stages: codes, titles and order',
  },
  {
    table: 'lead_stage_events',
    kind: 'none',
    why: 'Stage changes of leads: stage codes, times, reason codes and staff ids; linked to a lead, which erasure de-identifies',
  },
  {
    table: 'contact_merges',
    kind: 'none',
    why: 'Merges of duplicate contacts: the two contact ids, staff ids and times; the survivor’s sealed fields before the merge, sealed under its own key',
  },
  {
    table: 'contact_merge_moves',
    kind: 'none',
    why: 'Which rows a merge moved (table names and row ids), to undo it',
  },
];

export function subjectTables(): SubjectTable[] {
  return DATA_MAP.filter((entry): entry is SubjectTable => entry.kind === 'subject');
}
