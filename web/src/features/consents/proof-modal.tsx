import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconDownload,
  IconExternalLink,
  IconShieldCheck,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ConsentProof } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { CopyField } from '../../ui/copy-field.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { consentChannelLabel, EVENT_COLOR, eventLabel } from './consent-labels.ts';

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section">
      <Title order={3} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function LongCode({ value }: { value: string }) {
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {value}
    </Code>
  );
}

/** The proof as a file an inspector can keep and recompute offline. */
function downloadProof(proof: ConsentProof): void {
  const blob = new Blob([JSON.stringify(proof, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `consent-proof-${proof.entryId}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function ProofBody({ proof }: { proof: ConsentProof }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { document, chain, checkpoint } = proof;
  return (
    <Stack gap="lg">
      <DetailList
        items={[
          {
            label: t('journal.columnEvent'),
            value: (
              <Badge variant="light" color={EVENT_COLOR[proof.event]} radius="sm" tt="none">
                {eventLabel(i18n, proof.event)}
              </Badge>
            ),
          },
          { label: t('journal.columnAt'), value: formatDateTime(proof.at) },
          {
            label: t('journal.columnPurpose'),
            value: `${proof.purposeCode} · ${t('purposes.versionNumber', { version: proof.purposeVersion })}`,
          },
          { label: t('journal.columnChannel'), value: consentChannelLabel(i18n, proof.channel) },
        ]}
      />

      <Block title={t('proof.document')}>
        {document === null ? (
          <Text size="sm" c="dimmed">
            {t('proof.noDocument')}
          </Text>
        ) : (
          <Stack gap="sm">
            <Group gap="sm" wrap="wrap">
              <Text size="sm" fw={500}>
                {document.title}
              </Text>
              <Text size="sm" c="dimmed">
                {t('purposes.documentVersion', { version: document.version })}
              </Text>
              {document.isIntact ? (
                <Badge
                  color="teal"
                  variant="light"
                  radius="sm"
                  tt="none"
                  leftSection={<IconShieldCheck size={12} />}
                >
                  {t('proof.documentIntact')}
                </Badge>
              ) : (
                <Badge
                  color="red"
                  variant="filled"
                  radius="sm"
                  tt="none"
                  leftSection={<IconAlertTriangle size={12} />}
                >
                  {t('proof.documentChanged')}
                </Badge>
              )}
            </Group>
            <Paper
              withBorder
              radius="sm"
              p="md"
              bg="var(--mantine-color-gray-0)"
              mah={320}
              style={{ overflow: 'auto' }}
            >
              <Text
                size="sm"
                style={{ whiteSpace: 'pre-wrap', lineHeight: 1.65 }}
                data-testid="proof-document"
              >
                {document.text}
              </Text>
            </Paper>
            <CopyField label={t('proof.documentSha256')} value={document.sha256} />
            <Anchor href={document.url} target="_blank" rel="noopener noreferrer" size="sm">
              <Group gap={4} component="span">
                {t('purposes.documentPublicLink')}
                <IconExternalLink size={14} />
              </Group>
            </Anchor>
          </Stack>
        )}
      </Block>

      <Block title={t('proof.entry')}>
        <CopyField label={t('proof.contentSha256')} value={proof.content.sha256} />
        <Text size="xs" c="dimmed">
          {t('proof.contentHint', { count: proof.content.fields.length })}
        </Text>
      </Block>

      <Block title={t('proof.chain')}>
        <DetailList
          items={[
            { label: t('proof.position'), value: String(chain.position) },
            { label: t('proof.formula'), value: <Code>{chain.formula}</Code>, isWide: true },
          ]}
        />
        <CopyField label={t('proof.prevHash')} value={chain.prevHash} />
        <CopyField label={t('proof.linkHash')} value={chain.linkHash} />
      </Block>

      <Block title={t('proof.checkpoint')}>
        <Text size="sm">
          {t('proof.checkpointSummary', {
            position: checkpoint.position,
            date: formatDateTime(checkpoint.signedAt),
            links: proof.path.length,
          })}
        </Text>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('proof.signature')}
          </Text>
          <LongCode value={checkpoint.signature} />
        </Stack>
        <Accordion variant="separated" chevronPosition="left">
          <Accordion.Item value="message">
            <Accordion.Control>{t('proof.signedMessage')}</Accordion.Control>
            <Accordion.Panel>
              <LongCode value={checkpoint.signedMessage} />
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="key">
            <Accordion.Control>
              {t('proof.publicKey', { algorithm: proof.publicKey.algorithm })}
            </Accordion.Control>
            <Accordion.Panel>
              <LongCode value={proof.publicKey.pem} />
            </Accordion.Panel>
          </Accordion.Item>
          {proof.path.length > 0 && (
            <Accordion.Item value="path">
              <Accordion.Control>{t('proof.path', { count: proof.path.length })}</Accordion.Control>
              <Accordion.Panel>
                <Table.ScrollContainer minWidth={560} type="native" mah={260}>
                  <Table
                    verticalSpacing={4}
                    fz="xs"
                    aria-label={t('proof.path', { count: proof.path.length })}
                  >
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('proof.position')}</Table.Th>
                        <Table.Th>{t('proof.contentSha256')}</Table.Th>
                        <Table.Th>{t('proof.linkHash')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {proof.path.map((link) => (
                        <Table.Tr key={link.position}>
                          <Table.Td>{link.position}</Table.Td>
                          <Table.Td ff="monospace" title={link.contentSha256}>
                            {link.contentSha256.slice(0, 16)}…
                          </Table.Td>
                          <Table.Td ff="monospace" title={link.linkHash}>
                            {link.linkHash.slice(0, 16)}…
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Accordion.Panel>
            </Accordion.Item>
          )}
        </Accordion>
      </Block>

      <Group justify="flex-end">
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => downloadProof(proof)}
        >
          {t('proof.download')}
        </Button>
      </Group>
    </Stack>
  );
}

type ProofModalProps = {
  entryId: string | null;
  onClose: () => void;
};

/** Everything that proves one journal entry: text, hashes, chain link and signed checkpoint. */
export function ProofModal({ entryId, onClose }: ProofModalProps) {
  const { t } = useI18n();
  const query = useApiQuery<ConsentProof>(
    entryId === null ? null : `/api/v1/consent/journal/${encodeURIComponent(entryId)}/proof`,
  );
  const proof = query.data?.entryId === entryId ? query.data : null;
  return (
    <Modal
      opened={entryId !== null}
      onClose={onClose}
      title={<Text fw={600}>{t('proof.title')}</Text>}
      size="xl"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {query.error !== null ? (
        <ErrorAlert error={query.error} onRetry={query.reload} />
      ) : proof === null ? (
        <PageLoader py={48} />
      ) : (
        <ProofBody proof={proof} />
      )}
    </Modal>
  );
}
