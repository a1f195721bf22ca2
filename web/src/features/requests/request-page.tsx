import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconArrowLeft,
  IconClockPlus,
  IconDownload,
  IconFileText,
  IconId,
  IconLock,
  IconMailForward,
  IconPrinter,
  IconRepeat,
  IconX,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import {
  AnswerModal,
  ExtendModal,
  NoteModal,
  RefuseModal,
  VerifyModal,
} from './request-modals.tsx';
import {
  channelLabel,
  dateOnly,
  eventLabel,
  jurisdictionLabel,
  methodLabel,
  OPEN_STATUSES,
  type RequestDetail,
  requestPath,
  STATUS_COLOR,
  sourceLabel,
  statusLabel,
  typeLabel,
} from './request-types.ts';
import { DueCell } from './requests-page.tsx';

function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

export function RequestPage() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'requests.manage');
  const query = useApiQuery<RequestDetail>(`/api/v1/subject-requests/${id}`);
  const [isVerifyOpen, verify] = useDisclosure(false);
  const [isExtendOpen, extendModal] = useDisclosure(false);
  const [isAnswerOpen, answer] = useDisclosure(false);
  const [isRefuseOpen, refuseModal] = useDisclosure(false);
  const [isCloseOpen, closeModal] = useDisclosure(false);
  const [isIncompleteOpen, incomplete] = useDisclosure(false);

  if (query.error !== null) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <PageLoader />;
  const request = query.data;
  const isOpen = OPEN_STATUSES.includes(request.status);
  const isVerified = request.verification.verifiedAt !== null || request.type === 'rkn';
  const done = () => query.reload();
  const download = (format: 'txt' | 'html') =>
    `/api/v1/subject-requests/${request.id}/answer/download?format=${format}`;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/requests" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('requests.back')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={6}>
          <Title order={1} size="h2">
            {t('requests.heading', {
              type: typeLabel(i18n, request.type),
              reference: request.reference,
            })}
          </Title>
          <Group gap={6}>
            <Badge color={STATUS_COLOR[request.status]} variant="light" tt="none">
              {statusLabel(i18n, request.status)}
            </Badge>
            {request.isOverdue && (
              <Badge color="red" variant="filled" tt="none">
                {t('requests.overdue')}
              </Badge>
            )}
            {request.isRepeat && (
              <Badge
                color="yellow"
                variant="light"
                tt="none"
                leftSection={<IconRepeat size={12} />}
              >
                {t('requests.repeat')}
              </Badge>
            )}
          </Group>
        </Stack>
        {canManage && isOpen && (
          <Group gap="sm" wrap="wrap">
            <Button variant="default" leftSection={<IconId size={16} />} onClick={verify.open}>
              {t('requests.actionVerify')}
            </Button>
            {request.clock.isExtendable && !request.extension && (
              <Button
                variant="default"
                color="orange"
                leftSection={<IconClockPlus size={16} />}
                onClick={extendModal.open}
              >
                {t('requests.actionExtend')}
              </Button>
            )}
            <Button
              leftSection={<IconMailForward size={16} />}
              onClick={answer.open}
              disabled={!isVerified}
              title={isVerified ? undefined : t('rule.identity_not_verified')}
            >
              {t('requests.actionAnswer')}
            </Button>
            <Button variant="light" color="red" onClick={refuseModal.open}>
              {t('requests.actionRefuse')}
            </Button>
          </Group>
        )}
        {canManage && !isOpen && request.status !== 'closed' && (
          <Group gap="sm">
            <Button variant="default" onClick={incomplete.open}>
              {t('requests.actionIncomplete')}
            </Button>
            <Button variant="default" leftSection={<IconX size={16} />} onClick={closeModal.open}>
              {t('requests.actionClose')}
            </Button>
          </Group>
        )}
      </Group>

      {request.personalDataState === 'shredded' && (
        <Alert color="gray" icon={<IconLock size={18} />}>
          {t('requests.shredded')}
        </Alert>
      )}
      {request.personalDataState === 'hidden' && (
        <Alert color="gray" icon={<IconLock size={18} />}>
          {t('requests.hidden')}
        </Alert>
      )}

      <Section
        title={t('requests.sectionRequest')}
        actions={
          canManage &&
          isOpen && (
            <Button variant="subtle" size="xs" onClick={closeModal.open}>
              {t('requests.actionClose')}
            </Button>
          )
        }
      >
        <DetailList
          items={[
            { label: t('requests.fieldType'), value: typeLabel(i18n, request.type) },
            { label: t('requests.fieldSource'), value: sourceLabel(i18n, request.source) },
            {
              label: t('requests.fieldJurisdiction'),
              value: jurisdictionLabel(i18n, request.jurisdiction),
            },
            { label: t('requests.fieldReceived'), value: formatDateTime(request.receivedAt) },
            { label: t('requests.fieldDue'), value: <DueCell request={request} /> },
            { label: t('requests.fieldClock'), value: request.clock.basis },
            {
              label: t('requests.fieldContact'),
              value: request.contactId ? (
                <Anchor component={Link} to={contactPath(request.contactId)}>
                  {request.subjectName ?? request.contactId}
                </Anchor>
              ) : (
                t('requests.unknownSubject')
              ),
            },
            {
              label: t('requests.fieldRequester'),
              value: request.requester
                ? [
                    request.requester.name,
                    request.requester.email,
                    request.requester.phone,
                    request.requester.address,
                  ]
                    .filter(Boolean)
                    .join(', ')
                : null,
            },
            { label: t('requests.fieldDetails'), value: request.details, isWide: true },
            { label: t('requests.fieldSourceRef'), value: request.sourceRef },
            {
              label: t('requests.fieldRepeatOf'),
              value: request.repeatOf ? (
                <Anchor component={Link} to={requestPath(request.repeatOf)} ff="monospace">
                  {request.repeatOf.replaceAll('-', '').slice(0, 8).toUpperCase()}
                </Anchor>
              ) : null,
            },
            ...(request.extension
              ? [
                  {
                    label: t('requests.fieldExtension'),
                    value: t('requests.extensionText', {
                      days: request.extension.byWorkingDays,
                      date: dateOnly(i18n, request.extension.dueDate),
                      channel: channelLabel(i18n, request.extension.noticeChannel),
                      sent: formatDateTime(request.extension.noticeSentAt),
                    }),
                    isWide: true,
                  },
                  {
                    label: t('requests.extendReason'),
                    value: request.extension.reason,
                    isWide: true,
                  },
                ]
              : []),
          ]}
        />
      </Section>

      <Section title={t('requests.sectionIdentity')}>
        <DetailList
          items={[
            {
              label: t('requests.fieldMethod'),
              value: methodLabel(i18n, request.verification.method),
            },
            {
              label: t('requests.fieldVerifiedAt'),
              value: request.verification.verifiedAt
                ? formatDateTime(request.verification.verifiedAt)
                : t('requests.notVerified'),
            },
            {
              label: t('requests.fieldDocumentNumber'),
              value: request.verification.documentNumber,
            },
            {
              label: t('requests.fieldDocumentIssuer'),
              value: request.verification.documentIssuer,
            },
            {
              label: t('requests.fieldDocumentIssuedOn'),
              value: request.verification.documentIssuedOn
                ? dateOnly(i18n, request.verification.documentIssuedOn)
                : null,
            },
            {
              label: t('requests.fieldRelationship'),
              value: request.verification.relationship,
            },
          ]}
        />
      </Section>

      <Section
        title={t('requests.sectionAnswer')}
        actions={
          request.answer &&
          canManage && (
            <Group gap="xs">
              <Button
                component="a"
                href={download('txt')}
                variant="default"
                size="xs"
                leftSection={<IconDownload size={14} />}
              >
                {t('requests.downloadTxt')}
              </Button>
              <Button
                component="a"
                href={download('html')}
                variant="default"
                size="xs"
                leftSection={<IconPrinter size={14} />}
              >
                {t('requests.downloadHtml')}
              </Button>
            </Group>
          )
        }
      >
        {request.answer ? (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('requests.answeredText', {
                date: formatDateTime(request.answer.at),
                channel: request.answer.channel ? channelLabel(i18n, request.answer.channel) : '—',
              })}
              {request.answer.reference ? ` · ${request.answer.reference}` : ''}
            </Text>
            {request.answer.text !== null && (
              <Paper withBorder p="md" radius="sm" bg="var(--mantine-color-default-hover)">
                <Text
                  component="pre"
                  size="sm"
                  m={0}
                  style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}
                >
                  {request.answer.text}
                </Text>
              </Paper>
            )}
          </Stack>
        ) : (
          <Group gap="xs" c="dimmed">
            <IconFileText size={16} />
            <Text size="sm">{t('requests.noAnswer')}</Text>
          </Group>
        )}
      </Section>

      <Section title={t('requests.sectionTimeline')}>
        <Timeline bulletSize={14} lineWidth={2} active={request.events.length}>
          {request.events.map((event) => (
            <Timeline.Item key={event.id} title={eventLabel(i18n, event.kind)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(event.at)} · {event.actor.label ?? '—'}
                {event.toStatus && event.toStatus !== event.fromStatus
                  ? ` · ${statusLabel(i18n, event.toStatus)}`
                  : ''}
              </Text>
              {event.note && (
                <Text size="sm" mt={4}>
                  {event.note}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      </Section>

      <VerifyModal
        opened={isVerifyOpen}
        request={request}
        onClose={verify.close}
        onDone={() => {
          verify.close();
          done();
        }}
      />
      <ExtendModal
        opened={isExtendOpen}
        request={request}
        onClose={extendModal.close}
        onDone={() => {
          extendModal.close();
          done();
        }}
      />
      <AnswerModal
        opened={isAnswerOpen}
        request={request}
        onClose={answer.close}
        onDone={() => {
          answer.close();
          done();
        }}
      />
      <RefuseModal
        opened={isRefuseOpen}
        request={request}
        onClose={refuseModal.close}
        onDone={() => {
          refuseModal.close();
          done();
        }}
      />
      <NoteModal
        kind="close"
        opened={isCloseOpen}
        request={request}
        onClose={closeModal.close}
        onDone={() => {
          closeModal.close();
          done();
        }}
      />
      <NoteModal
        kind="incomplete"
        opened={isIncompleteOpen}
        request={request}
        onClose={incomplete.close}
        onDone={() => {
          incomplete.close();
          done();
        }}
      />
    </Stack>
  );
}
