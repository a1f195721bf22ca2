import {
  Alert,
  Box,
  Button,
  CloseButton,
  EmptyState,
  Group,
  LoadingOverlay,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconFileSpreadsheet,
  IconFilter,
  IconInbox,
  IconPrinter,
  IconShieldCheck,
} from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, withQuery } from '../../app/api-client.ts';
import {
  CONSENT_EVENTS,
  type ItemList,
  type JournalEntry,
  type JournalVerification,
  type Page,
  type Purpose,
} from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { DEFAULT_PAGE_SIZE, Pager } from '../../ui/pager.tsx';
import { endOfDayIso, startOfDayIso } from '../logs/log-query.ts';
import { eventLabel } from './consent-labels.ts';
import { JournalTable } from './journal-table.tsx';
import { ProofModal } from './proof-modal.tsx';

type Filters = { event: string; purposeCode: string; from: string; to: string };

const EMPTY_FILTERS: Filters = { event: '', purposeCode: '', from: '', to: '' };

// "All" in the filter selects; event and purpose codes start with a letter.
const ALL = '-';

function breakReason(t: ReturnType<typeof useI18n>['t'], reason: string): string | null {
  switch (reason) {
    case 'position_missing':
    case 'prev_hash_mismatch':
    case 'entry_missing':
    case 'content_hash_mismatch':
    case 'link_hash_mismatch':
    case 'document_hash_mismatch':
    case 'checkpoint_link_mismatch':
    case 'checkpoint_signature_invalid':
    case 'checkpoint_beyond_chain':
      return t(`journalBreak.${reason}`);
    default:
      return null;
  }
}

function VerificationResult({
  result,
  onClose,
}: {
  result: JournalVerification;
  onClose: () => void;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const common = {
    withCloseButton: true,
    closeButtonLabel: t('common.close'),
    onClose,
    variant: 'light' as const,
  };
  if (result.isIntact) {
    return (
      <Alert
        {...common}
        color="teal"
        icon={<IconShieldCheck size={18} />}
        title={t('journal.intactTitle')}
        role="status"
        data-testid="verify-result"
      >
        <Stack gap={4}>
          <Text size="sm">
            {t('journal.intactText', {
              entries: formatNumber(result.entries),
              checkpoints: formatNumber(result.checkpoints),
            })}
          </Text>
          {result.head && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {t('journal.head', { position: result.head.position, hash: result.head.linkHash })}
            </Text>
          )}
          {result.unchained > 0 && (
            <Text size="xs" c="dimmed">
              {t('journal.unchained', { count: result.unchained })}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('journal.verifiedAt', { date: formatDateTime(result.verifiedAt) })}
          </Text>
        </Stack>
      </Alert>
    );
  }
  const broken = result.firstBroken;
  return (
    <Alert
      {...common}
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={t('journal.brokenTitle')}
      role="alert"
      data-testid="verify-result"
    >
      {broken ? (
        <Stack gap={4}>
          <Text size="sm">
            {t('journal.brokenAt', { position: broken.position })}{' '}
            {breakReason(t, broken.reason) ?? broken.description}
          </Text>
          {broken.entryId && (
            <Text size="xs" ff="monospace">
              {t('journal.brokenEntry', { id: broken.entryId })}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {broken.description}
          </Text>
        </Stack>
      ) : (
        <Text size="sm">{t('journal.brokenUnknown')}</Text>
      )}
    </Alert>
  );
}

export function ConsentJournalPage() {
  const i18n = useI18n();
  const { t } = i18n;
  // A contact's card links here with ?contactId=…; the filter shows until removed.
  const [searchParams, setSearchParams] = useSearchParams();
  const contactId = searchParams.get('contactId');
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS);
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS);
  const [rangeError, setRangeError] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [proofEntryId, setProofEntryId] = useState<string | null>(null);
  const [verification, setVerification] = useState<JournalVerification | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [isVerifying, setIsVerifying] = useState(false);

  const period = { from: startOfDayIso(filters.from), to: endOfDayIso(filters.to) };
  const query = useApiQuery<Page<JournalEntry>>(
    withQuery('/api/v1/consent/journal', {
      page,
      pageSize,
      event: filters.event || null,
      purposeCode: filters.purposeCode || null,
      contactId,
      ...period,
    }),
  );
  const purposesQuery = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const purposes = purposesQuery.data?.items ?? [];

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setRangeError(true);
      return;
    }
    setRangeError(false);
    setFilters(draft);
    setPage(1);
  };

  const reset = () => {
    setDraft(EMPTY_FILTERS);
    setFilters(EMPTY_FILTERS);
    setRangeError(false);
    setPage(1);
  };

  const verify = async () => {
    setIsVerifying(true);
    setVerifyError(null);
    try {
      setVerification(await api.get<JournalVerification>('/api/v1/consent/journal/verify'));
    } catch (error) {
      setVerification(null);
      setVerifyError(error);
    } finally {
      setIsVerifying(false);
    }
  };

  const exportHref = (format: 'csv' | 'html') =>
    withQuery('/api/v1/consent/journal/export', { format, ...period });

  const isFiltered = contactId !== null || Object.values(filters).some((value) => value !== '');

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    if (query.data.items.length === 0) {
      return (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconInbox size={28} />}
            withIndicatorBackground
            title={t('journal.empty')}
            description={isFiltered ? t('logs.emptyFiltered') : t('journal.emptyDescription')}
          />
        </Paper>
      );
    }
    return (
      <Stack gap="sm">
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={query.isLoading} zIndex={5} overlayProps={{ blur: 1 }} />
          <JournalTable
            entries={query.data.items}
            purposes={purposes}
            isContactShown
            onProof={setProofEntryId}
            caption={t('journal.title')}
          />
        </Paper>
        <Box px={4}>
          <Pager
            page={query.data.page || page}
            pageSize={query.data.pageSize || pageSize}
            total={query.data.total}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              setPage(1);
            }}
            label={t('journal.pagination')}
          />
        </Box>
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title={t('journal.title')}
        description={t('journal.description')}
        actions={
          <Group gap="sm">
            <Button
              leftSection={<IconShieldCheck size={16} />}
              onClick={() => void verify()}
              loading={isVerifying}
            >
              {t('journal.verify')}
            </Button>
            <Button
              component="a"
              href={exportHref('csv')}
              download
              variant="default"
              leftSection={<IconFileSpreadsheet size={16} />}
            >
              {t('journal.exportCsv')}
            </Button>
            <Button
              component="a"
              href={exportHref('html')}
              target="_blank"
              rel="noopener"
              variant="default"
              leftSection={<IconPrinter size={16} />}
            >
              {t('journal.exportHtml')}
            </Button>
          </Group>
        }
      />
      <Stack gap="md">
        {verifyError !== null && (
          <ErrorAlert error={verifyError} onClose={() => setVerifyError(null)} />
        )}
        {verification !== null && (
          <VerificationResult result={verification} onClose={() => setVerification(null)} />
        )}
        <form onSubmit={apply} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label={t('journal.filterEvent')}
              data={[
                { value: ALL, label: t('journal.filterAll') },
                ...CONSENT_EVENTS.map((event) => ({
                  value: event,
                  label: eventLabel(i18n, event),
                })),
              ]}
              value={draft.event || ALL}
              onChange={(value) =>
                setDraft((current) => ({ ...current, event: value && value !== ALL ? value : '' }))
              }
              allowDeselect={false}
              w={{ base: '100%', sm: 170 }}
            />
            <Select
              label={t('journal.filterPurpose')}
              data={[
                { value: ALL, label: t('journal.filterAll') },
                ...purposes.map((purpose) => ({
                  value: purpose.code,
                  label: purpose.currentVersion.title,
                })),
              ]}
              value={draft.purposeCode || ALL}
              onChange={(value) =>
                setDraft((current) => ({
                  ...current,
                  purposeCode: value && value !== ALL ? value : '',
                }))
              }
              allowDeselect={false}
              searchable
              w={{ base: '100%', sm: 260 }}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="date"
              label={t('logs.filterFrom')}
              value={draft.from}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setDraft((current) => ({ ...current, from: value }));
              }}
              error={rangeError ? t('validation.dateRange') : undefined}
              w={{ base: '100%', xs: 150 }}
            />
            <TextInput
              type="date"
              label={t('logs.filterTo')}
              value={draft.to}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setDraft((current) => ({ ...current, to: value }));
              }}
              w={{ base: '100%', xs: 150 }}
            />
            <Group gap="xs">
              <Button type="submit" leftSection={<IconFilter size={16} />}>
                {t('common.apply')}
              </Button>
              <Button variant="default" onClick={reset}>
                {t('common.reset')}
              </Button>
            </Group>
          </Group>
        </form>
        {contactId !== null && (
          <Group gap={4}>
            <Text size="sm">{t('journal.contactFilter', { id: contactId.slice(0, 8) })}</Text>
            <CloseButton
              size="sm"
              aria-label={t('journal.contactFilterRemove')}
              onClick={() => {
                setSearchParams({});
                setPage(1);
              }}
            />
          </Group>
        )}
        {renderBody()}
      </Stack>
      <ProofModal entryId={proofEntryId} onClose={() => setProofEntryId(null)} />
    </>
  );
}
