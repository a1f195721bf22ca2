import { Alert, Button, Group, Progress, Select, Stack, Text } from '@mantine/core';
import {
  IconDownload,
  IconExternalLink,
  IconPlayerPlay,
  IconSquareCheck,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import type { DocumentList } from '../compliance-documents/documents-types.ts';
import { AuditItemCard } from './audit-item-card.tsx';
import type { Checklist } from './audit-types.ts';

function currentYear(): number {
  return Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric' }).format(
      new Date(),
    ),
  );
}

/** «Аудит»: the year's checklist, evidence per item, automatic checks, progress and report. */
export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'audit.manage');
  const thisYear = currentYear();
  const [year, setYear] = useState(thisYear);
  const query = useApiQuery<Checklist>(`/api/v1/compliance/audit/${year}`);
  const documents = useApiQuery<DocumentList>(
    hasPermission(me, 'documents.read') ? '/api/v1/compliance/documents' : null,
  );
  const [checklist, setChecklist] = useState<Checklist | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setChecklist(query.data?.year === year ? query.data : null);
  }, [query.data, year]);

  const isMissing = isApiError(query.error) && query.error.code === 'not_found';

  const act = async (path: string) => {
    setIsBusy(true);
    setError(null);
    try {
      setChecklist(await api.post<Checklist>(path));
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };

  const base = `/api/v1/compliance/audit/${year}`;
  const years = [thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((value) => ({
    value: String(value),
    label: String(value),
  }));

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <Select
            aria-label={t('audit.year')}
            data={years}
            value={String(year)}
            onChange={(value) => value && setYear(Number(value))}
            w={120}
            allowDeselect={false}
          />
        }
      />
      <Stack gap="md">
        {error !== null && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {isMissing && !checklist && (
          <Alert color="blue" title={t('audit.notStarted', { year })}>
            <Text size="sm" mb="sm">
              {t('audit.notStartedHint')}
            </Text>
            {canManage && (
              <Button onClick={() => void act(base)} loading={isBusy}>
                {t('audit.start', { year })}
              </Button>
            )}
          </Alert>
        )}
        {query.error !== null && !isMissing && (
          <ErrorAlert error={query.error} onRetry={query.reload} />
        )}
        {!checklist && query.error === null && <PageLoader />}
        {checklist && (
          <>
            <Group justify="space-between" wrap="wrap">
              <Stack gap={4} miw={240} style={{ flex: 1 }}>
                <Text size="sm">
                  {t('audit.progress', {
                    closed: checklist.progress.closed,
                    total: checklist.progress.total,
                  })}
                  {checklist.completedAt
                    ? ` · ${t('audit.completedAt', { at: formatDateTime(checklist.completedAt) })}`
                    : ''}
                </Text>
                <Progress
                  value={(checklist.progress.closed / checklist.progress.total) * 100}
                  aria-label={t('audit.progressLabel')}
                />
              </Stack>
              <Group gap="xs">
                {canManage && !checklist.completedAt && (
                  <Button
                    variant="light"
                    leftSection={<IconPlayerPlay size={16} />}
                    loading={isBusy}
                    onClick={() => void act(`${base}/checks`)}
                  >
                    {t('audit.runChecks')}
                  </Button>
                )}
                <Button
                  component="a"
                  href={`${base}/report/html`}
                  target="_blank"
                  rel="noopener"
                  variant="light"
                  leftSection={<IconExternalLink size={16} />}
                >
                  {t('audit.report')}
                </Button>
                <Button
                  component="a"
                  href={`${base}/report/pdf`}
                  download
                  variant="light"
                  leftSection={<IconDownload size={16} />}
                >
                  PDF
                </Button>
                {canManage && !checklist.completedAt && (
                  <Button
                    leftSection={<IconSquareCheck size={16} />}
                    disabled={checklist.progress.closed < checklist.progress.total}
                    loading={isBusy}
                    onClick={() => void act(`${base}/complete`)}
                  >
                    {t('audit.complete')}
                  </Button>
                )}
              </Group>
            </Group>
            {checklist.items.map((item) => (
              <AuditItemCard
                key={item.code}
                year={checklist.year}
                item={item}
                documents={documents.data?.items ?? []}
                canManage={canManage}
                isCompleted={checklist.completedAt !== null}
                onChanged={setChecklist}
              />
            ))}
          </>
        )}
      </Stack>
    </>
  );
}
