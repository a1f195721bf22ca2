import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  ScrollArea,
  Stack,
  Tabs,
  Text,
} from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { type NoticeDocument, noticeUrl } from './incident-types.ts';

async function fetchText(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { credentials: 'same-origin', signal });
  if (!response.ok) {
    let code = 'bad_response';
    try {
      const body = (await response.json()) as { error?: { code?: unknown } };
      if (typeof body.error?.code === 'string') code = body.error.code;
    } catch {
      // Not JSON: keep the generic code.
    }
    throw new ApiError({ status: response.status, code, message: `HTTP ${response.status}` });
  }
  return response.text();
}

function NoticeText({
  incidentId,
  document,
  version,
}: {
  incidentId: string;
  document: NoticeDocument;
  /** Changes whenever the incident does, so the text is composed again. */
  version: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    void attempt;
    void version;
    const controller = new AbortController();
    setError(null);
    fetchText(noticeUrl(incidentId, document, false), controller.signal)
      .then(setText)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      });
    return () => controller.abort();
  }, [incidentId, document, version, attempt]);

  if (error !== null) {
    return <ErrorAlert error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  }
  if (text === null) {
    return <PageLoader />;
  }
  const label = document === 'notice-24h' ? t('incidents.notice24h') : t('incidents.report72h');
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <CopyButton value={text} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              aria-label={`${copied ? t('common.copied') : t('common.copy')}: ${label}`}
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button
          component="a"
          href={noticeUrl(incidentId, document, true)}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
        >
          {t('incidents.downloadTxt')}
        </Button>
      </Group>
      <ScrollArea.Autosize mah={420} type="auto">
        <Code
          block
          aria-label={label}
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 13 }}
        >
          {text}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** The pre-filled texts for Roskomnadzor, to copy into its portal or download as .txt. */
export function NoticeTexts({ incidentId, version }: { incidentId: string; version: string }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<NoticeDocument>('notice-24h');
  return (
    <Stack gap="sm">
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
        <Text size="sm">{t('incidents.noticesHint')}</Text>
      </Alert>
      <Tabs
        value={tab}
        onChange={(value) => setTab(value === 'report-72h' ? 'report-72h' : 'notice-24h')}
        keepMounted={false}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="notice-24h">{t('incidents.notice24h')}</Tabs.Tab>
          <Tabs.Tab value="report-72h">{t('incidents.report72h')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="notice-24h">
          <NoticeText incidentId={incidentId} document="notice-24h" version={version} />
        </Tabs.Panel>
        <Tabs.Panel value="report-72h">
          <NoticeText incidentId={incidentId} document="report-72h" version={version} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
