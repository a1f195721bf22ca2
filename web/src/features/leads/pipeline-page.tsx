import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../app/api-client.ts';
import type { Lead, Permission } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import { useCrmI18n } from './crm-i18n.ts';

type Stage = { code: string; title: string; kind: 'open' | 'won' | 'lost'; isSystem: boolean };
type Board = { columns: Array<{ stage: Stage; total: number; items: Lead[] }> };

const LOST_REASONS = [
  'no_answer',
  'price',
  'chose_other',
  'not_relevant',
  'duplicate',
  'spam',
  'other',
] as const;

/** A lead's card on the board: the stage is changed with a native select (keyboard first). */
function LeadCard({
  lead,
  stages,
  canMove,
  onMove,
}: {
  lead: Lead;
  stages: Stage[];
  canMove: boolean;
  onMove: (lead: Lead, stage: string) => void;
}) {
  const { t: tShared, formatDateTime } = useI18n();
  const { t } = useCrmI18n();
  const me = useMe();
  const label =
    lead.contact?.name || (lead.contact ? tShared('contacts.noName') : tShared('leads.hidden'));
  return (
    <Paper withBorder radius="sm" p="xs" component="li" style={{ listStyle: 'none' }}>
      <Stack gap={4}>
        {lead.contact && hasPermission(me, 'contacts.read') ? (
          <Anchor component={Link} to={contactPath(lead.contact.id)} size="sm" fw={500}>
            {label}
          </Anchor>
        ) : (
          <Text size="sm" fw={500}>
            {label}
          </Text>
        )}
        <Group gap={6}>
          <Badge variant="light" color="grape" radius="sm" tt="none" size="sm">
            {lead.source === 'direct' ? tShared('leads.sourceDirect') : lead.source}
          </Badge>
          <Text size="xs" c="dimmed">
            {formatDateTime(lead.createdAt)}
          </Text>
        </Group>
        {canMove && (
          <NativeSelect
            size="xs"
            aria-label={t('pipeline.moveTo', { name: label })}
            value={lead.status}
            data={stages.map((stage) => ({ value: stage.code, label: stage.title }))}
            onChange={(event) => onMove(lead, event.currentTarget.value)}
          />
        )}
      </Stack>
    </Paper>
  );
}

export function PipelinePage() {
  const { t: tShared } = useI18n();
  const { t } = useCrmI18n();
  const me = useMe();
  const canMove = hasPermission(me, 'leads.manage' as Permission);
  const query = useApiQuery<Board>(withQuery('/api/v1/pipeline/board', { perStage: 20 }));
  const [losing, setLosing] = useState<Lead | null>(null);
  const [reason, setReason] = useState<string>('no_answer');
  const [error, setError] = useState<unknown>(null);

  const move = async (lead: Lead, stage: string, lostReason?: string) => {
    if (stage === 'lost' && !lostReason) {
      setLosing(lead);
      return;
    }
    setError(null);
    try {
      await api.post(`/api/v1/leads/${lead.id}/stage`, {
        stage,
        ...(lostReason ? { lostReason } : {}),
      });
      query.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <PageLoader />;
  const stages = query.data.columns.map((column) => column.stage);
  return (
    <>
      <PageHeader
        title={t('pipeline.title')}
        description={t('pipeline.description')}
        actions={
          <Button component={Link} to="/leads" variant="default">
            {t('pipeline.listView')}
          </Button>
        }
      />
      {error !== null && <ErrorAlert error={error} />}
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
          {query.data.columns.map((column) => (
            <Paper
              key={column.stage.code}
              withBorder
              radius="md"
              p="sm"
              w={250}
              miw={250}
              component="section"
              aria-label={column.stage.title}
              bg="var(--mantine-color-gray-0)"
            >
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h5">
                  {column.stage.title}
                </Title>
                <Badge variant="default" radius="sm">
                  {column.total}
                </Badge>
              </Group>
              {column.items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('pipeline.emptyColumn')}
                </Text>
              ) : (
                <Stack gap="xs" component="ul" p={0} m={0}>
                  {column.items.map((lead) => (
                    <LeadCard
                      key={lead.id}
                      lead={lead}
                      stages={stages}
                      canMove={canMove}
                      onMove={(target, stage) => void move(target, stage)}
                    />
                  ))}
                </Stack>
              )}
              {column.total > column.items.length && (
                <Anchor
                  component={Link}
                  to={`/leads?stage=${column.stage.code}`}
                  size="sm"
                  mt="xs"
                  display="block"
                >
                  {t('pipeline.more', { count: column.total - column.items.length })}
                </Anchor>
              )}
            </Paper>
          ))}
        </Group>
      </ScrollArea>
      <Modal
        opened={losing !== null}
        onClose={() => setLosing(null)}
        title={t('pipeline.lostTitle')}
      >
        <Stack>
          <NativeSelect
            label={t('pipeline.lostReason')}
            value={reason}
            data={LOST_REASONS.map((code) => ({
              value: code,
              label: t(`pipeline.lost.${code}` as const),
            }))}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLosing(null)}>
              {tShared('common.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                if (losing) void move(losing, 'lost', reason);
                setLosing(null);
              }}
            >
              {t('pipeline.markLost')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
