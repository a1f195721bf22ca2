import { Badge, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { channelLabel, type GateReason, gateReasonLabel } from './messaging-labels.ts';

type Option = {
  purposeCode: string;
  purposeTitle: string;
  kind: string;
  legalBasis: string;
  channel: 'email' | 'sms' | 'call';
  allowed: boolean;
  reason: GateReason | null;
  basis: string | null;
  consentEntryId: string | null;
};

type Recent = {
  id: string;
  channel: 'email' | 'sms' | 'call';
  status: 'queued' | 'sent' | 'refused' | 'failed' | 'delivered' | 'provider_refused';
  gateReason: GateReason | null;
  createdAt: string;
};

type Panel = { options: Option[]; recent: Recent[] };

const STATUS_COLOR: Record<Recent['status'], string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'teal',
  refused: 'red',
  failed: 'orange',
  provider_refused: 'red',
};

const CHANNELS = ['email', 'sms', 'call'] as const;

/**
 * "What may be sent to this person": for each purpose and channel the outbound check's answer
 * and why, from the same check every send asks.
 */
export function OutboundPanel({ contactId }: { contactId: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const query = useApiQuery<Panel>(`/api/v1/contacts/${encodeURIComponent(contactId)}/outbound`);
  const purposes = [
    ...new Map((query.data?.options ?? []).map((option) => [option.purposeCode, option])).values(),
  ];
  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Title order={2} size="h4" mb="xs">
        {t('messaging.panelTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('messaging.panelDescription')}
      </Text>
      {query.error !== null && <ErrorAlert error={query.error} onRetry={query.reload} />}
      {query.error === null && query.data === null && <PageLoader />}
      {query.data && purposes.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('messaging.panelEmpty')}
        </Text>
      )}
      {query.data && purposes.length > 0 && (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table verticalSpacing="xs" aria-label={t('messaging.panelTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('messaging.columnPurpose')}</Table.Th>
                {CHANNELS.map((channel) => (
                  <Table.Th key={channel}>{channelLabel(i18n, channel)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {purposes.map((purpose) => (
                <Table.Tr key={purpose.purposeCode}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm" fw={500}>
                        {purpose.purposeTitle}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {purpose.purposeCode}
                      </Text>
                    </Stack>
                  </Table.Td>
                  {CHANNELS.map((channel) => {
                    const option = query.data?.options.find(
                      (candidate) =>
                        candidate.purposeCode === purpose.purposeCode &&
                        candidate.channel === channel,
                    );
                    if (!option) return <Table.Td key={channel} />;
                    return (
                      <Table.Td key={channel}>
                        {option.allowed ? (
                          <Tooltip
                            label={
                              option.basis === 'consent'
                                ? t('messaging.allowedByConsent')
                                : t('messaging.allowedByBasis', { basis: option.basis ?? '' })
                            }
                          >
                            <Badge color="teal" variant="light" tt="none">
                              {t('messaging.allowed')}
                            </Badge>
                          </Tooltip>
                        ) : (
                          <Stack gap={2}>
                            <Badge color="red" variant="light" tt="none">
                              {t('messaging.refused')}
                            </Badge>
                            {option.reason && (
                              <Text size="xs" c="dimmed">
                                {gateReasonLabel(i18n, option.reason)}
                              </Text>
                            )}
                          </Stack>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.data && query.data.recent.length > 0 && (
        <Stack gap={6} mt="md">
          <Text size="sm" fw={600}>
            {t('messaging.recentTitle')}
          </Text>
          {query.data.recent.map((message) => (
            <Group key={message.id} gap="xs" wrap="wrap">
              <Text size="xs" c="dimmed" w={130}>
                {formatDateTime(message.createdAt)}
              </Text>
              <Text size="xs" w={80}>
                {channelLabel(i18n, message.channel)}
              </Text>
              <Badge color={STATUS_COLOR[message.status]} variant="light" tt="none" size="sm">
                {t(`messaging.status.${message.status}`)}
              </Badge>
              {message.gateReason && (
                <Text size="xs" c="dimmed">
                  {gateReasonLabel(i18n, message.gateReason)}
                </Text>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
