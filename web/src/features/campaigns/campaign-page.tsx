import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import {
  type AudiencePreview,
  type Campaign,
  type CampaignLog,
  campaignReasonKey,
  STATUS_COLOR,
} from './campaign-types.ts';
import { progressOf } from './campaigns-page.tsx';
import { ExclusionCounts } from './reason-counts.tsx';

/** The launch asks once more and names who launches: a campaign starts only by a person (R-A2). */
function LaunchModal({
  campaign,
  preview,
  onClose,
  onLaunched,
}: {
  campaign: Campaign;
  preview: AudiencePreview;
  onClose: () => void;
  onLaunched: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const me = useMe();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const launch = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/campaigns/${campaign.id}/launch`, { isConfirmed: true });
      onLaunched();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('campaigns.launchTitle')}>
      <Stack gap="md">
        <Text>
          {t('campaigns.launchText', {
            name: campaign.name,
            count: formatNumber(preview.included),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('campaigns.excluded')}
        </Text>
        <ExclusionCounts counts={preview.excluded} />
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-yellow-light)">
          <Text size="sm">{t('campaigns.launchApprover', { name: me.user.name })}</Text>
        </Paper>
        {error !== null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={isBusy}>
            {t('common.cancel')}
          </Button>
          <Button onClick={launch} loading={isBusy} disabled={preview.included === 0}>
            {t('campaigns.launch')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SendLog({ campaignId, version }: { campaignId: string; version: number }) {
  const { t, formatDateTime } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const log = useApiQuery<CampaignLog>(
    `/api/v1/campaigns/${campaignId}/log?page=${page}&pageSize=${pageSize}`,
  );
  const { reload } = log;
  // The query string is validated strictly: a refresh reloads, it does not add a parameter.
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  if (log.error !== null) return <ErrorAlert error={log.error} onRetry={log.reload} />;
  if (log.data === null) return <PageLoader />;
  if (log.data.total === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('campaigns.logEmpty')}
      </Text>
    );
  }
  return (
    <Stack gap="md">
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={800} type="native">
          <Table verticalSpacing="xs" aria-label={t('campaigns.log')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.logContact')}</Table.Th>
                <Table.Th>{t('campaigns.statusLabel')}</Table.Th>
                <Table.Th>{t('campaigns.logConsent')}</Table.Th>
                <Table.Th>{t('campaigns.logMessageId')}</Table.Th>
                <Table.Th>{t('campaigns.logAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.items.map((item) => {
                const reason = item.gateReason ? campaignReasonKey(item.gateReason) : null;
                return (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/contacts/${item.contactId}`}
                        size="xs"
                        ff="monospace"
                      >
                        {item.contactId.slice(0, 8)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={
                          item.status === 'sent' || item.status === 'delivered' ? 'green' : 'gray'
                        }
                        tt="none"
                      >
                        {item.gateReason
                          ? reason
                            ? t(reason)
                            : item.gateReason
                          : t(`campaigns.logStatus.${item.status}` as 'campaigns.logStatus.sent')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {item.consentEntryId ?? t('common.dash')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {item.messageId ?? t('common.dash')}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="xs">{formatDateTime(item.sentAt ?? item.createdAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Pager
        page={page}
        pageSize={pageSize}
        total={log.data.total}
        onPageChange={setPage}
        onPageSizeChange={(size) => {
          setPageSize(size);
          setPage(1);
        }}
        label={t('campaigns.logPages')}
      />
    </Stack>
  );
}

/** One campaign: its text, the audience and who is left out, the launch, progress and log. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t, formatNumber, formatDateTime } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'campaigns.manage');
  const query = useApiQuery<Campaign>(`/api/v1/campaigns/${id}`);
  const campaign = query.data;
  const isDraft = campaign?.status === 'draft';
  const preview = useApiQuery<AudiencePreview>(
    isDraft ? `/api/v1/campaigns/${id}/preview?pageSize=20` : null,
  );
  const [isLaunching, setIsLaunching] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const { reload } = query;

  // Progress refreshes while the campaign is being sent.
  useEffect(() => {
    if (campaign?.status !== 'sending') return;
    const timer = setInterval(() => {
      reload();
      setVersion((value) => value + 1);
    }, 5_000);
    return () => clearInterval(timer);
  }, [campaign?.status, reload]);

  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!campaign) return <PageLoader />;

  const act = async (action: 'pause' | 'resume' | 'cancel') => {
    setActionError(null);
    try {
      await api.post(`/api/v1/campaigns/${campaign.id}/${action}`, {});
      query.reload();
    } catch (caught) {
      setActionError(caught);
    }
  };
  const { done, total } = progressOf(campaign);

  return (
    <>
      <PageHeader
        title={campaign.name}
        description={`${t(`campaigns.channel.${campaign.channel}`)} · ${campaign.segmentName ?? ''} · ${campaign.purposeCode}`}
        actions={
          <Group gap="xs">
            <Anchor component={Link} to="/campaigns" size="sm">
              {t('campaigns.back')}
            </Anchor>
            {canManage && isDraft && (
              <Button onClick={() => setIsLaunching(true)} disabled={!preview.data}>
                {t('campaigns.launch')}
              </Button>
            )}
            {canManage && campaign.status === 'sending' && (
              <Button variant="default" onClick={() => act('pause')}>
                {t('campaigns.pause')}
              </Button>
            )}
            {canManage && campaign.status === 'paused' && (
              <Button onClick={() => act('resume')}>{t('campaigns.resume')}</Button>
            )}
            {canManage && ['draft', 'sending', 'paused'].includes(campaign.status) && (
              <Button variant="subtle" color="red" onClick={() => act('cancel')}>
                {t('campaigns.cancel')}
              </Button>
            )}
          </Group>
        }
      />
      <Stack gap="lg">
        {actionError !== null && <ErrorAlert error={actionError} />}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="md" radius="md">
            <Stack gap="xs">
              <Group gap="xs">
                <Badge color={STATUS_COLOR[campaign.status]} variant="light">
                  {t(`campaigns.status.${campaign.status}`)}
                </Badge>
                <Text size="sm" c="dimmed">
                  {t('campaigns.rateValue', { rate: formatNumber(campaign.ratePerMinute) })}
                </Text>
              </Group>
              {campaign.launchedBy && (
                <Text size="sm">
                  {t('campaigns.launchedByAt', {
                    name: campaign.launchedBy.name ?? campaign.launchedBy.userId,
                    at: formatDateTime(campaign.launchedAt),
                  })}
                </Text>
              )}
              {!isDraft && (
                <>
                  <Progress value={total === 0 ? 100 : (done / total) * 100} />
                  <Text size="sm">
                    {t('campaigns.progressDetail', {
                      sent: formatNumber(campaign.progress.sent ?? 0),
                      skipped: formatNumber(campaign.progress.skipped ?? 0),
                      failed: formatNumber(campaign.progress.failed ?? 0),
                      total: formatNumber(total),
                    })}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t('campaigns.excludedAtLaunch')}
                  </Text>
                  <ExclusionCounts counts={campaign.excluded} />
                </>
              )}
            </Stack>
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Stack gap="xs">
              {campaign.subject && <Text fw={500}>{campaign.subject}</Text>}
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {campaign.body}
              </Text>
            </Stack>
          </Paper>
        </SimpleGrid>
        {isDraft && (
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('campaigns.audience')}
            </Title>
            {preview.error !== null && (
              <ErrorAlert error={preview.error} onRetry={preview.reload} />
            )}
            {preview.data && (
              <Stack gap="sm">
                <Text>
                  {t('campaigns.previewSummary', {
                    included: formatNumber(preview.data.included),
                    matched: formatNumber(preview.data.matched),
                  })}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('campaigns.excluded')}
                </Text>
                <ExclusionCounts counts={preview.data.excluded} />
                {preview.data.items.length > 0 && (
                  <Text size="sm">
                    {preview.data.items
                      .map((item) => item.name ?? t('campaigns.nameHidden'))
                      .join(', ')}
                  </Text>
                )}
              </Stack>
            )}
          </Paper>
        )}
        {!isDraft && (
          <Stack gap="sm">
            <Title order={4}>{t('campaigns.log')}</Title>
            <SendLog campaignId={campaign.id} version={version} />
          </Stack>
        )}
      </Stack>
      {isLaunching && preview.data && (
        <LaunchModal
          campaign={campaign}
          preview={preview.data}
          onClose={() => setIsLaunching(false)}
          onLaunched={() => {
            setIsLaunching(false);
            query.reload();
          }}
        />
      )}
    </>
  );
}
