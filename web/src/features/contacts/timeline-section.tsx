import { Badge, Button, Group, Paper, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import type { Permission } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { useCrmI18n } from '../leads/crm-i18n.ts';

const KIND_KEYS = {
  submission: 'timeline.kind.submission',
  consent: 'timeline.kind.consent',
  lead: 'timeline.kind.lead',
  lead_stage: 'timeline.kind.lead_stage',
  message: 'timeline.kind.message',
  note: 'timeline.kind.note',
  task: 'timeline.kind.task',
} as const;

type TimelineItem = { kind: string; id: string; at: string; data: Record<string, unknown> };
type TimelinePage = { items: TimelineItem[]; nextCursor: string | null; kinds: string[] };

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** One line per kind; an unknown kind (added by another domain) shows its facts plainly. */
function ItemLine({ item }: { item: TimelineItem }) {
  const { t } = useCrmI18n();
  const data = item.data;
  switch (item.kind) {
    case 'submission':
      return <Text size="sm">{t('timeline.submission', { form: text(data.formTitle) })}</Text>;
    case 'consent':
      return (
        <Text size="sm">
          {t('timeline.consent', { event: text(data.event), purpose: text(data.purposeTitle) })}
        </Text>
      );
    case 'lead':
      return <Text size="sm">{t('timeline.lead', { source: text(data.source) })}</Text>;
    case 'lead_stage':
      return (
        <Text size="sm">
          {t('timeline.leadStage', { from: text(data.fromStage), to: text(data.toStage) })}
          {data.lostReason ? ` (${text(data.lostReason)})` : ''}
        </Text>
      );
    case 'note':
      return (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {text(data.body)}
        </Text>
      );
    case 'message':
      return (
        <Text size="sm">
          {t('timeline.message', { channel: text(data.channel), status: text(data.status) })}
        </Text>
      );
    case 'task':
      return <Text size="sm">{t('timeline.task', { title: text(data.title) })}</Text>;
    default:
      return (
        <Text size="sm">
          {Object.entries(data)
            .filter(([, value]) => typeof value !== 'object')
            .map(([key, value]) => `${key}: ${text(value)}`)
            .join(' · ')}
        </Text>
      );
  }
}

export function TimelineSection({ contactId }: { contactId: string }) {
  const { formatDateTime } = useI18n();
  const { t } = useCrmI18n();
  const me = useMe();
  const [cursor, setCursor] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<TimelineItem[]>([]);
  const query = useApiQuery<TimelinePage>(
    withQuery(`/api/v1/contacts/${contactId}/timeline`, { limit: 50, cursor }),
  );
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const items = [...earlier, ...(query.data?.items ?? [])];

  const addNote = async () => {
    setError(null);
    try {
      await api.post(`/api/v1/contacts/${contactId}/notes`, { body: note });
      setNote('');
      setEarlier([]);
      setCursor(null);
      query.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={t('timeline.title')}>
      <Title order={2} size="h4" mb="md">
        {t('timeline.title')}
      </Title>
      {hasPermission(me, 'notes.write' as Permission) && (
        <Stack gap="xs" mb="md">
          <Textarea
            label={t('timeline.noteLabel')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={5000}
          />
          <Group>
            <Button size="xs" onClick={() => void addNote()} disabled={note.trim() === ''}>
              {t('timeline.addNote')}
            </Button>
          </Group>
        </Stack>
      )}
      {error !== null && <ErrorAlert error={error} />}
      {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
      {items.length === 0 && query.data !== null ? (
        <Text size="sm" c="dimmed">
          {t('timeline.empty')}
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2}>
          {items.map((item) => (
            <Timeline.Item
              key={`${item.kind}:${item.id}`}
              title={
                <Group gap="xs">
                  <Badge variant="light" radius="sm" tt="none" size="sm">
                    {item.kind in KIND_KEYS
                      ? t(KIND_KEYS[item.kind as keyof typeof KIND_KEYS])
                      : item.kind}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(item.at)}
                  </Text>
                </Group>
              }
            >
              <ItemLine item={item} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {query.data?.nextCursor && (
        <Button
          variant="default"
          size="xs"
          mt="md"
          onClick={() => {
            setEarlier(items);
            setCursor(query.data?.nextCursor ?? null);
          }}
        >
          {t('timeline.more')}
        </Button>
      )}
    </Paper>
  );
}
