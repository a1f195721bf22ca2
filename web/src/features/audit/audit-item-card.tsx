import {
  Anchor,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  List,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck, IconPaperclip } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import type { DocumentSummary } from '../compliance-documents/documents-types.ts';
import type { AuditItem, Checklist, Evidence } from './audit-types.ts';

const MAX_FILE_BYTES = 180 * 1024;

const CHECK_COLORS = { passed: 'green', failed: 'red', not_available: 'gray' } as const;

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function EvidenceLine({ year, entry }: { year: number; entry: Evidence }) {
  const { t, formatDateTime } = useI18n();
  switch (entry.kind) {
    case 'file':
      return (
        <Text size="sm">
          <Anchor href={`/api/v1/compliance/audit/${year}/evidence/${entry.id}`}>
            {entry.fileName}
          </Anchor>{' '}
          ({entry.sizeBytes} B, {formatDateTime(entry.createdAt)}) SHA-256{' '}
          <Code fz="xs">{entry.sha256}</Code>
          {entry.note ? ` — ${entry.note}` : ''}
        </Text>
      );
    case 'document':
      return (
        <Text size="sm">
          <Anchor href={entry.documentUrl ?? '#'} target="_blank" rel="noopener">
            {entry.documentTitle}
          </Anchor>{' '}
          SHA-256 <Code fz="xs">{entry.sha256}</Code>
        </Text>
      );
    case 'check':
      return (
        <Text size="sm" c="dimmed">
          {t('audit.checkRun', { at: formatDateTime(entry.createdAt) })}: {entry.checkSummary}
        </Text>
      );
  }
}

export function AuditItemCard({
  year,
  item,
  documents,
  canManage,
  isCompleted,
  onChanged,
}: {
  year: number;
  item: AuditItem;
  documents: DocumentSummary[];
  canManage: boolean;
  isCompleted: boolean;
  onChanged: (checklist: Checklist) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const base = `/api/v1/compliance/audit/${year}/items/${item.code}`;
  const canEdit = canManage && !isCompleted;

  const act = async (work: () => Promise<Checklist>) => {
    setIsBusy(true);
    setError(null);
    try {
      onChanged(await work());
      setFile(null);
      setDocumentId(null);
      setNote('');
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  const attachFile = () =>
    act(async () => {
      if (!file) throw new Error('No file');
      return api.post<Checklist>(`${base}/evidence`, {
        kind: 'file',
        fileName: file.name,
        contentType: file.type || 'application/octet-stream',
        contentBase64: await toBase64(file),
        ...(note ? { note } : {}),
      });
    });

  const attachDocument = () =>
    act(() =>
      api.post<Checklist>(`${base}/evidence`, {
        kind: 'document',
        documentId,
        ...(note ? { note } : {}),
      }),
    );

  const artefacts = item.evidence.filter((entry) => entry.kind !== 'check');
  const checks = item.evidence.filter((entry) => entry.kind === 'check');
  const isFileTooLarge = file !== null && file.size > MAX_FILE_BYTES;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={item.title}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={3} size="h5" maw={720}>
            {item.title}
          </Title>
          <Badge color={item.isClosed ? 'green' : 'gray'} variant="light" tt="none">
            {item.isClosed
              ? t('audit.closedAt', { at: formatDateTime(item.closedAt) })
              : t('audit.open')}
          </Badge>
        </Group>
        {item.check ? (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge color={CHECK_COLORS[item.check.status]} variant="light" tt="none">
              {t(`audit.check.${item.check.status}`)}
            </Badge>
            <Text size="sm">
              {item.check.summary}{' '}
              <Text span size="xs" c="dimmed">
                ({formatDateTime(item.check.checkedAt)})
              </Text>
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {item.isAutomatic ? t('audit.checkNotRun') : t('audit.manualItem')}
          </Text>
        )}
        {artefacts.length > 0 && (
          <List size="sm" spacing={2}>
            {artefacts.map((entry) => (
              <List.Item key={entry.id}>
                <EvidenceLine year={year} entry={entry} />
              </List.Item>
            ))}
          </List>
        )}
        {checks.length > 1 && (
          <Text size="xs" c="dimmed">
            {t('audit.checkRuns', { count: checks.length })}
          </Text>
        )}
        {item.note && <Text size="sm">{item.note}</Text>}
        {error !== null && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {canEdit && !item.isClosed && (
          <Stack gap="xs">
            <Group align="flex-end" wrap="wrap">
              <FileInput
                label={t('audit.attachFile')}
                placeholder={t('audit.chooseFile')}
                value={file}
                onChange={setFile}
                clearable
                w={260}
                error={isFileTooLarge ? t('audit.fileTooLarge') : undefined}
              />
              <Button
                variant="light"
                leftSection={<IconPaperclip size={14} />}
                disabled={!file || isFileTooLarge}
                loading={isBusy}
                onClick={() => void attachFile()}
              >
                {t('audit.attach')}
              </Button>
              <Select
                label={t('audit.attachDocument')}
                placeholder={t('audit.chooseDocument')}
                data={documents
                  .filter((entry) => entry.latest)
                  .map((entry) => ({
                    value: entry.latest?.id ?? '',
                    label: `${entry.title} (${t('documents.versionShort', { version: entry.latest?.version ?? 0 })})`,
                  }))}
                value={documentId}
                onChange={setDocumentId}
                clearable
                w={320}
              />
              <Button
                variant="light"
                leftSection={<IconPaperclip size={14} />}
                disabled={!documentId}
                loading={isBusy}
                onClick={() => void attachDocument()}
              >
                {t('audit.attach')}
              </Button>
            </Group>
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('audit.note')}
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={1000}
                w={360}
              />
              <Button
                leftSection={<IconCheck size={14} />}
                loading={isBusy}
                onClick={() =>
                  void act(() => api.post<Checklist>(`${base}/close`, note ? { note } : {}))
                }
              >
                {t('audit.close')}
              </Button>
            </Group>
          </Stack>
        )}
        {canEdit && item.isClosed && (
          <Group>
            <Button
              size="xs"
              variant="subtle"
              loading={isBusy}
              onClick={() => void act(() => api.post<Checklist>(`${base}/reopen`))}
            >
              {t('audit.reopen')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
