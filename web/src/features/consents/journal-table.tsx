import { ActionIcon, Anchor, Badge, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconExternalLink, IconFileCertificate } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { JournalEntry, Purpose } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { contactPath } from '../contacts/contact-path.ts';
import { purposePath } from '../purposes/purpose-path.ts';
import { consentChannelLabel, EVENT_COLOR, eventLabel } from './consent-labels.ts';

type JournalTableProps = {
  entries: JournalEntry[];
  purposes: Purpose[];
  /** The contact column, for the whole journal; a contact's card leaves it out. */
  isContactShown: boolean;
  onProof: (entryId: string) => void;
  caption: string;
};

/** Journal entries, newest first, each with a button to its proof. */
export function JournalTable({
  entries,
  purposes,
  isContactShown,
  onProof,
  caption,
}: JournalTableProps) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  // Auditors read the journal but not the people in it: the contact stays an identifier.
  const canOpenContacts = hasPermission(useMe(), 'contacts.read');
  const titleOf = (code: string) =>
    purposes.find((purpose) => purpose.code === code)?.currentVersion.title ?? null;

  return (
    <Table.ScrollContainer minWidth={isContactShown ? 1040 : 900} type="native">
      <Table verticalSpacing="sm" striped highlightOnHover aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('journal.columnAt')}</Table.Th>
            <Table.Th>{t('journal.columnEvent')}</Table.Th>
            <Table.Th>{t('journal.columnPurpose')}</Table.Th>
            <Table.Th>{t('journal.columnDocument')}</Table.Th>
            <Table.Th>{t('journal.columnChannel')}</Table.Th>
            {isContactShown && <Table.Th>{t('journal.columnContact')}</Table.Th>}
            <Table.Th>{t('journal.columnPosition')}</Table.Th>
            <Table.Th w={60}>{t('journal.columnProof')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const title = titleOf(entry.purposeCode);
            return (
              <Table.Tr key={entry.id}>
                <Table.Td>
                  <Text
                    size="sm"
                    style={{ whiteSpace: 'nowrap' }}
                    component="time"
                    dateTime={entry.at}
                  >
                    {formatDateTime(entry.at)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={EVENT_COLOR[entry.event]} radius="sm" tt="none">
                    {eventLabel(i18n, entry.event)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0} miw={200}>
                    <Anchor component={Link} to={purposePath(entry.purposeCode)} size="sm">
                      {title ?? entry.purposeCode}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {entry.purposeCode} ·{' '}
                      {t('purposes.versionNumber', { version: entry.purposeVersion })}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {entry.documentUrl && entry.documentVersion !== null ? (
                    <Anchor
                      href={entry.documentUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      size="sm"
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      {t('purposes.documentVersion', { version: entry.documentVersion })}{' '}
                      <IconExternalLink size={12} />
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('common.dash')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {consentChannelLabel(i18n, entry.channel)}
                  </Text>
                </Table.Td>
                {isContactShown && (
                  <Table.Td>
                    {canOpenContacts ? (
                      <Anchor
                        component={Link}
                        to={contactPath(entry.contactId)}
                        size="sm"
                        ff="monospace"
                        title={entry.contactId}
                      >
                        {entry.contactId.slice(0, 8)}…
                      </Anchor>
                    ) : (
                      <Text size="sm" ff="monospace" title={entry.contactId}>
                        {entry.contactId.slice(0, 8)}…
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  {entry.position === null ? (
                    <Tooltip label={t('journal.pendingHint')} multiline w={240}>
                      <Badge variant="outline" color="gray" radius="sm" tt="none">
                        {t('journal.pending')}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Text size="sm" ff="monospace" title={entry.linkHash ?? undefined}>
                      #{entry.position}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Tooltip label={t('journal.openProof')}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('journal.openProofLabel', {
                        event: eventLabel(i18n, entry.event),
                        date: formatDateTime(entry.at),
                      })}
                      onClick={() => onProof(entry.id)}
                    >
                      <IconFileCertificate size={18} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
