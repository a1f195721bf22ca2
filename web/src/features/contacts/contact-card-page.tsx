import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconCheck, IconEye, IconFlame, IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError, withQuery } from '../../app/api-client.ts';
import type {
  Contact,
  ItemList,
  JournalEntry,
  Page,
  Purpose,
  RecordedConsent,
} from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { NotFoundPage } from '../../ui/status-page.tsx';
import {
  type ConsentState,
  consentChannelLabel,
  consentStates,
  eventLabel,
} from '../consents/consent-labels.ts';
import { JournalTable } from '../consents/journal-table.tsx';
import { ProofModal } from '../consents/proof-modal.tsx';
import { OutboundPanel } from '../messaging/outbound-panel.tsx';
import { purposePath } from '../purposes/purpose-path.ts';
import { RecordConsentModal } from './record-consent-modal.tsx';
import { BlockedNotice, RestrictionsSection } from './restrictions-section.tsx';
import { ShreddedBadge } from './shredded-badge.tsx';
import { TimelineSection } from './timeline-section.tsx';
import { WithdrawConsentModal } from './withdraw-consent-modal.tsx';

// A person has few journal entries; one page holds them all.
const CONTACT_JOURNAL_SIZE = 200;

const STATE_COLOR: Record<ConsentState, string> = {
  live: 'teal',
  withdrawn: 'red',
  expired: 'gray',
};

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
    <Paper withBorder radius="md" p="lg" component="section">
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

type ConsentsProps = {
  contact: Contact;
  canRecord: boolean;
};

function ContactConsents({ contact, canRecord }: ConsentsProps) {
  const i18n = useI18n();
  const { t, formatDateTime, formatDate } = i18n;
  const journal = useApiQuery<Page<JournalEntry>>(
    withQuery('/api/v1/consent/journal', {
      contactId: contact.id,
      pageSize: CONTACT_JOURNAL_SIZE,
    }),
  );
  const purposesQuery = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const [isRecordOpen, setIsRecordOpen] = useState(false);
  const [toWithdraw, setToWithdraw] = useState<{ code: string; title: string } | null>(null);
  const [proofEntryId, setProofEntryId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const purposes = purposesQuery.data?.items ?? [];
  const consentPurposes = purposes.filter(
    (purpose) => purpose.document !== null && purpose.archivedAt === null,
  );
  const titleOf = (code: string) =>
    purposes.find((purpose) => purpose.code === code)?.currentVersion.title ?? code;
  const mayRecord = canRecord && !contact.isShredded;

  const afterChange = (message: string) => (_recorded: RecordedConsent) => {
    setNotice(message);
    journal.reload();
  };

  const renderBody = () => {
    const error = journal.error ?? purposesQuery.error;
    if (error !== null) {
      return (
        <ErrorAlert
          error={error}
          onRetry={() => {
            journal.reload();
            purposesQuery.reload();
          }}
        />
      );
    }
    if (journal.data === null || purposesQuery.data === null) {
      return <PageLoader py={32} />;
    }
    const entries = journal.data.items;
    if (entries.length === 0) {
      return (
        <Text size="sm" c="dimmed">
          {t('contactCard.noConsents')}
        </Text>
      );
    }
    const states = consentStates(entries, Date.now());
    return (
      <Stack gap="lg">
        <Table.ScrollContainer minWidth={760} type="native">
          <Table verticalSpacing="sm" aria-label={t('contactCard.consentsNow')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('journal.columnPurpose')}</Table.Th>
                <Table.Th>{t('contactCard.columnState')}</Table.Th>
                <Table.Th>{t('contactCard.columnSince')}</Table.Th>
                <Table.Th>{t('journal.columnChannel')}</Table.Th>
                <Table.Th>{t('contactCard.columnUntil')}</Table.Th>
                {mayRecord && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {states.map(({ purposeCode, state, entry }) => (
                <Table.Tr key={purposeCode}>
                  <Table.Td>
                    <Anchor component={Link} to={purposePath(purposeCode)} size="sm">
                      {titleOf(purposeCode)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLOR[state]} radius="sm" tt="none">
                      {t(`consentState.${state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {eventLabel(i18n, entry.event)} · {formatDateTime(entry.at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{consentChannelLabel(i18n, entry.channel)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {state === 'live' && entry.expiresAt
                        ? formatDate(entry.expiresAt)
                        : t('common.dash')}
                    </Text>
                  </Table.Td>
                  {mayRecord && (
                    <Table.Td ta="right">
                      {state === 'live' && (
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          onClick={() =>
                            setToWithdraw({ code: purposeCode, title: titleOf(purposeCode) })
                          }
                          aria-label={t('contactCard.withdrawLabel', {
                            purpose: titleOf(purposeCode),
                          })}
                        >
                          {t('contactCard.withdraw')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap">
            <Title order={3} size="h5">
              {t('contactCard.journal')}
            </Title>
            <Anchor
              component={Link}
              to={`/consents?contactId=${encodeURIComponent(contact.id)}`}
              size="sm"
            >
              {t('contactCard.openJournal')}
            </Anchor>
          </Group>
          <Paper withBorder radius="sm">
            <JournalTable
              entries={entries}
              purposes={purposes}
              isContactShown={false}
              onProof={setProofEntryId}
              caption={t('contactCard.journal')}
            />
          </Paper>
        </Stack>
      </Stack>
    );
  };

  return (
    <Section
      title={t('contactCard.consents')}
      actions={
        mayRecord && (
          <Button
            leftSection={<IconPlus size={16} />}
            variant="light"
            onClick={() => setIsRecordOpen(true)}
            disabled={purposesQuery.data === null}
          >
            {t('contactCard.record')}
          </Button>
        )
      }
    >
      <Stack gap="md">
        {notice !== null && (
          <Alert
            color="teal"
            variant="light"
            icon={<IconCheck size={18} />}
            role="status"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setNotice(null)}
          >
            {notice}
          </Alert>
        )}
        {renderBody()}
      </Stack>
      {mayRecord && (
        <>
          <RecordConsentModal
            opened={isRecordOpen}
            contactId={contact.id}
            purposes={consentPurposes}
            onClose={() => setIsRecordOpen(false)}
            onRecorded={afterChange(t('contactCard.recorded'))}
          />
          <WithdrawConsentModal
            contactId={contact.id}
            purpose={toWithdraw}
            onClose={() => setToWithdraw(null)}
            onWithdrawn={afterChange(t('contactCard.withdrawn'))}
          />
        </>
      )}
      <ProofModal entryId={proofEntryId} onClose={() => setProofEntryId(null)} />
    </Section>
  );
}

export function ContactCardPage() {
  const { t, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const me = useMe();
  // Every load of this address is an opening of the card, logged by the server.
  const query = useApiQuery<Contact>(`/api/v1/contacts/${encodeURIComponent(id)}`);

  const backLink = (
    <Anchor component={Link} to="/contacts" size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('contacts.title')}
      </Group>
    </Anchor>
  );

  if (
    isApiError(query.error) &&
    (query.error.code === 'not_found' || query.error.code === 'validation_failed')
  ) {
    return <NotFoundPage />;
  }
  if (isApiError(query.error) && query.error.details?.rule === 'subject_blocked') {
    return (
      <>
        {backLink}
        <BlockedNotice />
      </>
    );
  }
  if (query.error !== null) {
    return (
      <>
        {backLink}
        <ErrorAlert error={query.error} onRetry={query.reload} />
      </>
    );
  }
  const contact = query.data;
  if (contact === null) {
    return (
      <>
        {backLink}
        <PageLoader />
      </>
    );
  }

  const title = contact.isShredded
    ? t('contacts.shreddedName')
    : contact.name || t('contacts.noName');

  return (
    <>
      {backLink}
      <PageHeader title={title} />
      <Stack gap="lg">
        <Group gap={6} mt={-12}>
          <IconEye size={14} color="var(--mantine-color-dimmed)" />
          <Text size="xs" c="dimmed" data-testid="access-note">
            {t('contactCard.viewLogged')}
          </Text>
          {hasPermission(me, 'logs.read') && (
            <Anchor component={Link} to="/logs?tab=access" size="xs">
              {t('contactCard.openAccessLog')}
            </Anchor>
          )}
        </Group>
        {contact.isShredded && (
          <Alert
            color="gray"
            variant="light"
            icon={<IconFlame size={18} />}
            title={t('contacts.shredded')}
          >
            {t('contactCard.shreddedText')}
          </Alert>
        )}
        <Section title={t('contactCard.details')} actions={contact.isShredded && <ShreddedBadge />}>
          <DetailList
            items={[
              { label: t('contacts.columnName'), value: contact.name },
              { label: t('contacts.columnPhone'), value: contact.phone },
              { label: t('contacts.columnEmail'), value: contact.email },
              { label: t('contactCard.created'), value: formatDateTime(contact.createdAt) },
              { label: t('contactCard.updated'), value: formatDateTime(contact.updatedAt) },
            ]}
          />
        </Section>
        {contact.restriction === 'blocked' && <BlockedNotice />}
        <RestrictionsSection
          contactId={contact.id}
          canRestrict={hasPermission(me, 'subjects.restrict')}
          onChange={query.reload}
        />
        {hasPermission(me, 'consent.read') && (
          <ContactConsents contact={contact} canRecord={hasPermission(me, 'consent.record')} />
        )}
        {hasPermission(me, 'messaging.read') && <OutboundPanel contactId={contact.id} />}
        <TimelineSection contactId={contact.id} />
      </Stack>
    </>
  );
}
