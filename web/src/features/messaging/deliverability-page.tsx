import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertOctagon, IconCircleCheck } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { ComplaintRate } from './complaint-rate.tsx';

type Finding = {
  level: 'error' | 'warning' | 'ok';
  code: string;
  record: 'spf' | 'dkim' | 'dmarc';
};

type Report = {
  domain: string;
  selector: string | null;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  dmarcPolicy: string | null;
  findings: Finding[];
  isBlocking: boolean;
};

const LEVEL_COLOR: Record<Finding['level'], string> = {
  error: 'red',
  warning: 'orange',
  ok: 'teal',
};

/** SPF, DKIM and DMARC of the sending domain, with what to fix before the first campaign (R-E2). */
export function DeliverabilityPage() {
  const { t } = useI18n();
  const [domain, setDomain] = useState('');
  const [selector, setSelector] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      setReport(
        await api.get<Report>(
          withQuery('/api/v1/messaging/deliverability', {
            domain: domain.trim(),
            selector: selector.trim() || null,
          }),
        ),
      );
    } catch (caught) {
      setError(caught);
      setReport(null);
    }
    setIsBusy(false);
  };

  return (
    <>
      <PageHeader
        title={t('messaging.deliverabilityTitle')}
        description={t('messaging.deliverabilityDescription')}
      />
      <Stack gap="md">
        <ComplaintRate />
        <Paper withBorder radius="md" p="lg">
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                label={t('messaging.domain')}
                placeholder="clinic.ru"
                required
                value={domain}
                onChange={(event) => setDomain(event.currentTarget.value)}
                w={{ base: '100%', sm: 280 }}
              />
              <TextInput
                label={t('messaging.selector')}
                description={t('messaging.selectorHint')}
                placeholder="mail"
                value={selector}
                onChange={(event) => setSelector(event.currentTarget.value)}
                w={{ base: '100%', sm: 220 }}
              />
              <Button type="submit" loading={isBusy} disabled={domain.trim().length < 3}>
                {t('messaging.check')}
              </Button>
            </Group>
          </form>
        </Paper>
        {error !== null && <ErrorAlert error={error} />}
        {report && (
          <Stack gap="md">
            {report.isBlocking ? (
              <Alert
                color="red"
                icon={<IconAlertOctagon size={18} />}
                title={t('messaging.blockingTitle')}
              >
                {t('messaging.blockingText')}
              </Alert>
            ) : (
              <Alert
                color="teal"
                icon={<IconCircleCheck size={18} />}
                title={t('messaging.readyTitle')}
              >
                {t('messaging.readyText')}
              </Alert>
            )}
            <Paper withBorder radius="md" p="lg">
              <Title order={2} size="h4" mb="sm">
                {t('messaging.findings')}
              </Title>
              <Table verticalSpacing="sm" aria-label={t('messaging.findings')}>
                <Table.Tbody>
                  {report.findings.map((finding) => (
                    <Table.Tr key={`${finding.record}-${finding.code}`}>
                      <Table.Td w={90}>
                        <Text fw={600} tt="uppercase" size="sm">
                          {finding.record}
                        </Text>
                      </Table.Td>
                      <Table.Td w={130}>
                        <Badge color={LEVEL_COLOR[finding.level]} variant="light" tt="none">
                          {t(`messaging.level.${finding.level}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {t(`messaging.finding.${finding.code}` as MessageKey)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder radius="md" p="lg">
              <Title order={2} size="h4" mb="sm">
                {t('messaging.records')}
              </Title>
              <Stack gap="xs">
                {(
                  [
                    ['SPF', report.spf],
                    ['DKIM', report.dkim],
                    ['DMARC', report.dmarc],
                  ] as const
                ).map(([name, value]) => (
                  <Group key={name} gap="sm" wrap="nowrap" align="flex-start">
                    <Text fw={600} size="sm" w={70}>
                      {name}
                    </Text>
                    {value ? (
                      <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('messaging.noRecord')}
                      </Text>
                    )}
                  </Group>
                ))}
              </Stack>
            </Paper>
          </Stack>
        )}
      </Stack>
    </>
  );
}
