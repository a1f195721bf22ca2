import {
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  NumberInput,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconFilter, IconPlus, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api-client.ts';
import type { ItemList } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { type Campaign, type Segment, STATUS_COLOR } from './campaign-types.ts';
import { SegmentModal } from './segment-modal.tsx';

export function progressOf(campaign: Campaign): { done: number; total: number } {
  const counts = campaign.progress;
  const done = (counts.sent ?? 0) + (counts.skipped ?? 0) + (counts.failed ?? 0);
  return { done, total: campaign.audienceCount };
}

function NewCampaignModal({ segments, onClose }: { segments: Segment[]; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [segmentId, setSegmentId] = useState<string | null>(segments[0]?.id ?? null);
  const [channel, setChannel] = useState<'email' | 'sms'>('email');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState(t('campaigns.bodyTemplate'));
  const [rate, setRate] = useState<number>(600);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  const submit = async () => {
    setIsSaving(true);
    setError(null);
    try {
      const created = await api.post<Campaign>('/api/v1/campaigns', {
        name: name.trim(),
        segmentId,
        channel,
        ...(channel === 'email' ? { subject: subject.trim() } : {}),
        body,
        ratePerMinute: rate,
      });
      navigate(`/campaigns/${created.id}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('campaigns.newCampaign')} size="lg">
      <Stack gap="md">
        <TextInput
          label={t('campaigns.name')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={200}
          required
        />
        <Select
          label={t('campaigns.segment')}
          data={segments.map((segment) => ({
            value: segment.id,
            label: `${segment.name} (${segment.purposeCode})`,
          }))}
          value={segmentId}
          onChange={setSegmentId}
          allowDeselect={false}
          required
        />
        <SegmentedControl
          value={channel}
          onChange={(value) => setChannel(value as 'email' | 'sms')}
          data={[
            { value: 'email', label: t('campaigns.channel.email') },
            { value: 'sms', label: t('campaigns.channel.sms') },
          ]}
        />
        {channel === 'email' && (
          <TextInput
            label={t('campaigns.subject')}
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            maxLength={300}
            required
          />
        )}
        <Textarea
          label={t('campaigns.body')}
          description={t('campaigns.bodyHint')}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          autosize
          minRows={4}
          maxLength={10_000}
          required
        />
        <NumberInput
          label={t('campaigns.rate')}
          description={t('campaigns.rateHint')}
          value={rate}
          onChange={(value) => setRate(typeof value === 'number' ? value : 600)}
          min={1}
          max={1_000_000}
        />
        {error !== null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            onClick={submit}
            loading={isSaving}
            disabled={!name.trim() || !segmentId || !body.trim()}
          >
            {t('campaigns.saveDraft')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CampaignTable({ campaigns }: { campaigns: Campaign[] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={800} type="native">
        <Table verticalSpacing="sm" aria-label={t('campaigns.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.name')}</Table.Th>
              <Table.Th>{t('campaigns.channelLabel')}</Table.Th>
              <Table.Th>{t('campaigns.statusLabel')}</Table.Th>
              <Table.Th>{t('campaigns.progress')}</Table.Th>
              <Table.Th>{t('campaigns.launchedBy')}</Table.Th>
              <Table.Th>{t('campaigns.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {campaigns.map((campaign) => {
              const { done, total } = progressOf(campaign);
              return (
                <Table.Tr key={campaign.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/campaigns/${campaign.id}`} size="sm" fw={500}>
                      {campaign.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`campaigns.channel.${campaign.channel}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[campaign.status]} variant="light">
                      {t(`campaigns.status.${campaign.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={160}>
                    {campaign.status === 'draft' ? (
                      <Text size="sm" c="dimmed">
                        {t('common.dash')}
                      </Text>
                    ) : (
                      <Stack gap={4}>
                        <Progress value={total === 0 ? 100 : (done / total) * 100} size="sm" />
                        <Text size="xs" c="dimmed">
                          {t('campaigns.doneOf', {
                            done: formatNumber(done),
                            total: formatNumber(total),
                          })}
                        </Text>
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>{campaign.launchedBy?.name ?? t('common.dash')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(campaign.createdAt)}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function SegmentTable({
  segments,
  onOpen,
}: {
  segments: Segment[];
  onOpen: (segment: Segment) => void;
}) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={700} type="native">
        <Table verticalSpacing="sm" aria-label={t('campaigns.segments')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.segmentName')}</Table.Th>
              <Table.Th>{t('campaigns.purpose')}</Table.Th>
              <Table.Th>{t('campaigns.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.map((segment) => (
              <Table.Tr key={segment.id}>
                <Table.Td>
                  <Anchor component="button" size="sm" fw={500} onClick={() => onOpen(segment)}>
                    {segment.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{segment.purposeTitle}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {segment.purposeCode}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(segment.updatedAt)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Campaigns and the segments they are sent to. */
export function CampaignsPage() {
  const { t } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'campaigns.manage');
  const campaigns = useApiQuery<ItemList<Campaign>>('/api/v1/campaigns');
  const segments = useApiQuery<ItemList<Segment>>('/api/v1/segments');
  const [tab, setTab] = useState<string | null>('campaigns');
  const [isCreating, setIsCreating] = useState(false);
  const [editing, setEditing] = useState<Segment | 'new' | null>(null);

  const renderCampaigns = () => {
    if (campaigns.error !== null)
      return <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} />;
    if (campaigns.data === null) return <PageLoader />;
    if (campaigns.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconSend size={28} />}
            withIndicatorBackground
            title={t('campaigns.empty')}
            description={t('campaigns.emptyDescription')}
          />
        </Paper>
      );
    }
    return <CampaignTable campaigns={campaigns.data.items} />;
  };

  const renderSegments = () => {
    if (segments.error !== null)
      return <ErrorAlert error={segments.error} onRetry={segments.reload} />;
    if (segments.data === null) return <PageLoader />;
    if (segments.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconFilter size={28} />}
            withIndicatorBackground
            title={t('campaigns.noSegments')}
            description={t('campaigns.noSegmentsDescription')}
          />
        </Paper>
      );
    }
    return <SegmentTable segments={segments.data.items} onOpen={setEditing} />;
  };

  return (
    <>
      <PageHeader
        title={t('campaigns.title')}
        description={t('campaigns.description')}
        actions={
          canManage ? (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconFilter size={16} />}
                onClick={() => setEditing('new')}
              >
                {t('campaigns.newSegment')}
              </Button>
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={() => setIsCreating(true)}
                disabled={(segments.data?.items.length ?? 0) === 0}
              >
                {t('campaigns.newCampaign')}
              </Button>
            </Group>
          ) : undefined
        }
      />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List mb="md">
          <Tabs.Tab value="campaigns">{t('campaigns.tabCampaigns')}</Tabs.Tab>
          <Tabs.Tab value="segments">{t('campaigns.segments')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="campaigns">{renderCampaigns()}</Tabs.Panel>
        <Tabs.Panel value="segments">{renderSegments()}</Tabs.Panel>
      </Tabs>
      {isCreating && segments.data && (
        <NewCampaignModal segments={segments.data.items} onClose={() => setIsCreating(false)} />
      )}
      {editing !== null && (
        <SegmentModal
          segment={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={segments.reload}
        />
      )}
    </>
  );
}
