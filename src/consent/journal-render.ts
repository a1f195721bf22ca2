import type { TCheckpoint, TJournalEntry, TProof, TVerification } from './consent.schema.ts';

export type JournalReport = {
  operator: { name: string; address: string | null; inn: string | null; ogrn: string | null };
  period: { from: string | null; to: string | null };
  generatedAt: string;
  entries: readonly TJournalEntry[];
  checkpoints: readonly TCheckpoint[];
  publicKey: TProof['publicKey'] | null;
  verification: TVerification;
  /** Whether the reader's role may see evidence (IP, user agent, recording and scan refs). */
  hasEvidence: boolean;
};

type Column = { title: string; value: (entry: TJournalEntry) => string | number | null };

const ENTRY_COLUMNS: Column[] = [
  { title: 'position', value: (entry) => entry.position },
  { title: 'entry_id', value: (entry) => entry.id },
  { title: 'at', value: (entry) => entry.at },
  { title: 'event', value: (entry) => entry.event },
  { title: 'contact_id', value: (entry) => entry.contactId },
  { title: 'purpose_code', value: (entry) => entry.purposeCode },
  { title: 'purpose_version', value: (entry) => entry.purposeVersion },
  { title: 'document_id', value: (entry) => entry.documentId },
  { title: 'document_version', value: (entry) => entry.documentVersion },
  { title: 'document_sha256', value: (entry) => entry.documentSha256 },
  { title: 'document_url', value: (entry) => entry.documentUrl },
  { title: 'channel', value: (entry) => entry.channel },
  { title: 'form_id', value: (entry) => entry.formId },
  { title: 'submission_id', value: (entry) => entry.submissionId },
  { title: 'actor_user_id', value: (entry) => entry.actorUserId },
  { title: 'expires_at', value: (entry) => entry.expiresAt },
  { title: 'content_sha256', value: (entry) => entry.contentSha256 },
  { title: 'link_hash', value: (entry) => entry.linkHash },
];

const EVIDENCE_COLUMNS: Column[] = [
  { title: 'evidence_state', value: (entry) => entry.evidenceState },
  { title: 'ip', value: (entry) => entry.evidence?.ip ?? null },
  { title: 'user_agent', value: (entry) => entry.evidence?.userAgent ?? null },
  { title: 'page_url', value: (entry) => entry.evidence?.pageUrl ?? null },
  { title: 'recording_ref', value: (entry) => entry.evidence?.recordingRef ?? null },
  { title: 'script_version', value: (entry) => entry.evidence?.scriptVersion ?? null },
  { title: 'scan_ref', value: (entry) => entry.evidence?.scanRef ?? null },
  { title: 'note', value: (entry) => entry.evidence?.note ?? null },
];

function columnsOf(report: Pick<JournalReport, 'hasEvidence'>): Column[] {
  return report.hasEvidence ? [...ENTRY_COLUMNS, ...EVIDENCE_COLUMNS] : ENTRY_COLUMNS;
}

// Russian Excel splits CSV on semicolons; the BOM makes it read UTF-8.
const CSV_SEPARATOR = ';';

/**
 * One CSV cell (RFC 4180 quoting). A text starting with = + - @ is prefixed with an apostrophe
 * so a spreadsheet never runs it as a formula.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[";\n\r,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a BOM, CRLF line ends, one row per entry in chain order. */
export function renderJournalCsv(report: JournalReport): string {
  const columns = columnsOf(report);
  const lines = [
    columns.map((column) => column.title).join(CSV_SEPARATOR),
    ...report.entries.map((entry) =>
      columns.map((column) => csvCell(column.value(entry))).join(CSV_SEPARATOR),
    ),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function escapeHtml(value: string | number | null): string {
  if (value === null) return '';
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const EVENT_TITLES: Record<TJournalEntry['event'], string> = {
  given: 'дано',
  withdrawn: 'отозвано',
  expired: 'истекло',
  renewed: 'продлено',
};

const CHANNEL_TITLES: Record<TJournalEntry['channel'], string> = {
  web_form: 'веб-форма',
  phone: 'телефон',
  paper: 'бумага',
  staff: 'сотрудник',
  portal: 'портал субъекта',
  email: 'электронная почта',
};

function periodText(period: JournalReport['period']): string {
  if (!period.from && !period.to) return 'весь журнал';
  return `${period.from ? `с ${period.from}` : ''}${period.from && period.to ? ' ' : ''}${
    period.to ? `до ${period.to}` : ''
  }`;
}

function verificationHtml(verification: TVerification): string {
  if (verification.isIntact) {
    return `<p class="ok">Целостность журнала подтверждена: проверено записей — ${verification.entries}, подписанных контрольных точек — ${verification.checkpoints}${
      verification.head
        ? `; вершина цепочки: позиция ${verification.head.position}, <code>${escapeHtml(verification.head.linkHash)}</code>`
        : ''
    }.</p>`;
  }
  const broken = verification.firstBroken;
  return `<p class="broken">ЦЕЛОСТНОСТЬ НАРУШЕНА. Первая нарушенная позиция: ${escapeHtml(
    broken?.position ?? null,
  )}, запись <code>${escapeHtml(broken?.entryId ?? '—')}</code>, причина <code>${escapeHtml(
    broken?.reason ?? null,
  )}</code> (${escapeHtml(broken?.description ?? null)}).</p>`;
}

/** A printable page for an inspection (Russian: the inspector's language). */
export function renderJournalHtml(report: JournalReport): string {
  const columns = columnsOf(report);
  const rows = report.entries
    .map(
      (entry) =>
        `<tr>${columns
          .map((column) => {
            const value = column.value(entry);
            if (column.title === 'event')
              return `<td>${escapeHtml(EVENT_TITLES[entry.event])}</td>`;
            if (column.title === 'channel') {
              return `<td>${escapeHtml(CHANNEL_TITLES[entry.channel])}</td>`;
            }
            return `<td>${escapeHtml(value)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const checkpoints = report.checkpoints
    .map(
      (checkpoint) =>
        `<tr><td>${checkpoint.position}</td><td>${escapeHtml(checkpoint.signedAt)}</td><td><code>${escapeHtml(
          checkpoint.linkHash,
        )}</code></td><td><code class="wrap">${escapeHtml(checkpoint.signature)}</code></td></tr>`,
    )
    .join('\n');
  const operator = report.operator;
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Журнал согласий — ${escapeHtml(operator.name)}</title>
<style>
  body { font: 12px/1.4 system-ui, sans-serif; margin: 24px; color: #111; }
  h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 24px; }
  table { border-collapse: collapse; width: 100%; margin-top: 8px; }
  th, td { border: 1px solid #999; padding: 2px 4px; vertical-align: top; text-align: left; }
  th { background: #eee; } code { font-size: 11px; word-break: break-all; }
  .wrap { display: block; max-width: 40em; } .ok { color: #075; font-weight: 600; }
  .broken { color: #b00; font-weight: 700; }
  @media print { body { margin: 0; } tr { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Журнал согласий на обработку персональных данных</h1>
<p>Оператор: <strong>${escapeHtml(operator.name)}</strong>${
    operator.address ? `, ${escapeHtml(operator.address)}` : ''
  }${operator.inn ? `, ИНН ${escapeHtml(operator.inn)}` : ''}${
    operator.ogrn ? `, ОГРН ${escapeHtml(operator.ogrn)}` : ''
  }</p>
<p>Период: ${escapeHtml(periodText(report.period))}. Сформировано: ${escapeHtml(report.generatedAt)}. Записей: ${report.entries.length}.</p>
<h2>Проверка целостности</h2>
${verificationHtml(report.verification)}
<h2>Записи</h2>
<table>
<thead><tr>${columns.map((column) => `<th>${escapeHtml(column.title)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Подписанные контрольные точки (Ed25519)</h2>
<table>
<thead><tr><th>позиция</th><th>подписано</th><th>link_hash</th><th>подпись (base64)</th></tr></thead>
<tbody>
${checkpoints}
</tbody>
</table>
<h2>Открытый ключ оператора</h2>
${
  report.publicKey
    ? `<p>Ed25519, SubjectPublicKeyInfo DER в base64:</p><p><code class="wrap">${escapeHtml(
        report.publicKey.spkiBase64,
      )}</code></p><pre>${escapeHtml(report.publicKey.pem)}</pre>`
    : '<p>Контрольных точек ещё нет.</p>'
}
<h2>Как проверить</h2>
<p>Каждое звено: link_hash = SHA-256(prev_hash || content_sha256 || entry_id) над шестнадцатеричными строками; первое звено начинается с 64 нулей. Подпись контрольной точки покрывает строки
«soglasie-consent-checkpoint/v1», «org_id=…», «position=…», «link_hash=…», «signed_at=…», разделённые переводом строки.
Текст документа согласия доступен по адресу document_url; его SHA-256 (UTF-8) равен document_sha256.</p>
</body>
</html>
`;
}
