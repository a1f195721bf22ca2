import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Fieldset,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCheck,
  IconDeviceFloppy,
  IconExternalLink,
} from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, isApiError } from '../../app/api-client.ts';
import {
  FORM_STATUSES,
  type FormStatus,
  type FormView,
  type ItemList,
  type OperatorProfile,
  type Purpose,
} from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { CopyField } from '../../ui/copy-field.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { serverErrorsByPath } from '../../ui/form-errors.ts';
import { MONO_INPUT } from '../../ui/mono-input.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { NotFoundPage } from '../../ui/status-page.tsx';
import { ConsentsEditor } from './consents-editor.tsx';
import { FieldsEditor } from './fields-editor.tsx';
import {
  bodyOfDraft,
  draftOfForm,
  type FormDraft,
  type FormErrors,
  formSlug,
  newFormDraft,
  STATUS_COLOR,
  validateFormDraft,
} from './form-draft.ts';
import { FormPreview } from './form-preview.tsx';

type LocationState = { saved?: boolean } | null;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Title order={2} size="h4" mb="md">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Where the saved form lives: its page, the embed snippet and the plain POST address. */
function PlacementPanel({ view }: { view: FormView }) {
  const { t } = useI18n();
  return (
    <Section title={t('forms.placement')}>
      <Stack gap="md">
        {view.status !== 'published' && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
            {t('forms.notPublishedHint')}
          </Alert>
        )}
        <CopyField label={t('forms.hostedUrl')} value={view.hostedUrl} />
        <Anchor href={view.hostedUrl} target="_blank" rel="noopener noreferrer" size="sm">
          <Group gap={4} component="span">
            {t('forms.openHosted')}
            <IconExternalLink size={14} />
          </Group>
        </Anchor>
        <CopyField label={t('forms.embedCode')} value={view.embedCode} isMultiline />
        <CopyField label={t('forms.postUrl')} value={view.postUrl} />
        <Text size="xs" c="dimmed">
          {t('forms.postUrlHint')}
        </Text>
      </Stack>
    </Section>
  );
}

type FormBuilderProps = {
  initial: FormView | null;
  purposes: Purpose[];
  profile: OperatorProfile | null;
  canManage: boolean;
};

function FormBuilder({ initial, purposes, profile, canManage }: FormBuilderProps) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const navigate = useNavigate();
  const location = useLocation();
  const isNew = initial === null;
  const [view, setView] = useState<FormView | null>(initial);
  const [draft, setDraft] = useState<FormDraft>(() =>
    initial ? draftOfForm(initial) : newFormDraft(purposes),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isSaved, setIsSaved] = useState(() => Boolean((location.state as LocationState)?.saved));

  const savedBody = useMemo(
    () => (view ? JSON.stringify(bodyOfDraft(draftOfForm(view))) : null),
    [view],
  );
  const isDirty = savedBody !== JSON.stringify(bodyOfDraft(draft));

  const set = <K extends keyof FormDraft>(field: K, value: FormDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setIsSaved(false);
  };

  const categoryOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const purpose of purposes) {
      for (const category of purpose.currentVersion.dataCategories) {
        if (!seen.has(category.code)) {
          seen.set(category.code, `${category.title} (${category.code})`);
        }
      }
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [purposes]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateFormDraft(draft, purposes, i18n);
    setErrors(found);
    setError(null);
    setIsSaved(false);
    if (Object.values(found).some(Boolean)) {
      return;
    }
    setIsBusy(true);
    const body = bodyOfDraft(draft);
    try {
      if (isNew) {
        const created = await api.post<FormView>('/api/v1/forms', body);
        navigate(`/forms/${encodeURIComponent(created.slug)}`, {
          replace: true,
          state: { saved: true },
        });
        return;
      }
      const saved = await api.put<FormView>(`/api/v1/forms/${encodeURIComponent(body.slug)}`, {
        title: body.title,
        status: body.status,
        definition: body.definition,
      });
      setView(saved);
      setIsSaved(true);
    } catch (caught) {
      setError(caught);
      setErrors(serverErrorsByPath(caught, i18n));
    } finally {
      setIsBusy(false);
    }
  };

  const warnings = view?.warnings ?? [];

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <PageHeader
        title={isNew ? t('forms.newTitle') : view?.title || draft.title}
        description={isNew ? t('forms.newDescription') : t('forms.editDescription')}
        actions={
          <Group gap="sm">
            {view && (
              <Badge
                variant="light"
                color={STATUS_COLOR[view.status]}
                radius="sm"
                tt="none"
                size="lg"
              >
                {t(`formStatus.${view.status}`)} ·{' '}
                {t('forms.versionNumber', { version: view.version })}
              </Badge>
            )}
            {canManage && (
              <Button type="submit" loading={isBusy} leftSection={<IconDeviceFloppy size={16} />}>
                {isNew ? t('forms.create') : t('forms.save')}
              </Button>
            )}
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            {isSaved && view && (
              <Alert
                color="teal"
                variant="light"
                icon={<IconCheck size={18} />}
                role="status"
                withCloseButton
                closeButtonLabel={t('common.close')}
                onClose={() => setIsSaved(false)}
              >
                {t('forms.saved', {
                  version: view.version,
                  date: formatDateTime(view.updatedAt),
                })}
              </Alert>
            )}
            {error !== null && <ErrorAlert error={error} />}
            {view && <PlacementPanel view={view} />}
            <Fieldset disabled={!canManage} variant="unstyled" p={0} m={0} style={{ minWidth: 0 }}>
              <Stack gap="md">
                <Section title={t('forms.sectionMain')}>
                  <Stack gap="sm">
                    <TextInput
                      label={t('forms.title')}
                      description={t('forms.titleHint')}
                      value={draft.title}
                      onChange={(event) => {
                        const title = event.currentTarget.value;
                        setDraft((current) => ({
                          ...current,
                          title,
                          slug: current.isSlugEdited ? current.slug : formSlug(title),
                        }));
                        setIsSaved(false);
                      }}
                      error={errors.title}
                      required
                    />
                    <Group align="flex-start" gap="md" wrap="wrap">
                      <TextInput
                        label={t('forms.slug')}
                        description={isNew ? t('forms.slugHint') : t('forms.slugFixed')}
                        value={draft.slug}
                        onChange={(event) => {
                          const slug = event.currentTarget.value.toLowerCase();
                          setDraft((current) => ({ ...current, slug, isSlugEdited: true }));
                        }}
                        error={errors.slug}
                        readOnly={!isNew}
                        styles={MONO_INPUT}
                        spellCheck={false}
                        autoComplete="off"
                        required
                        style={{ flex: '1 1 220px' }}
                      />
                      <Stack gap={4} style={{ flex: '0 0 auto' }}>
                        <Text size="sm" fw={500} id="form-status-label">
                          {t('forms.status')}
                        </Text>
                        <SegmentedControl
                          aria-labelledby="form-status-label"
                          value={draft.status}
                          onChange={(value) => set('status', value as FormStatus)}
                          data={FORM_STATUSES.map((status) => ({
                            value: status,
                            label: t(`formStatus.${status}`),
                          }))}
                          disabled={!canManage}
                        />
                      </Stack>
                    </Group>
                  </Stack>
                </Section>

                <Section title={t('forms.sectionFields')}>
                  {warnings.length > 0 && (
                    <Text size="xs" c="dimmed" mb="sm">
                      {t('forms.warningsHint')}
                    </Text>
                  )}
                  <FieldsEditor
                    fields={draft.fields}
                    onChange={(fields) => set('fields', fields)}
                    errors={errors}
                    warnings={warnings}
                    categoryOptions={categoryOptions}
                  />
                </Section>

                <Section title={t('forms.sectionConsents')}>
                  <ConsentsEditor
                    consents={draft.consents}
                    onChange={(consents) => set('consents', consents)}
                    purposes={purposes}
                    errors={errors}
                  />
                </Section>

                <Section title={t('forms.sectionAfter')}>
                  <Stack gap="sm">
                    <TextInput
                      label={t('forms.submitLabel')}
                      value={draft.submitLabel}
                      onChange={(event) => set('submitLabel', event.currentTarget.value)}
                      error={errors['definition.submitLabel']}
                      maxLength={60}
                      required
                    />
                    <TextInput
                      label={t('forms.thankYouTitle')}
                      value={draft.thankYouTitle}
                      onChange={(event) => set('thankYouTitle', event.currentTarget.value)}
                      error={errors['definition.thankYou.title']}
                      maxLength={200}
                      required
                    />
                    <Textarea
                      label={t('forms.thankYouText')}
                      value={draft.thankYouText}
                      onChange={(event) => set('thankYouText', event.currentTarget.value)}
                      error={errors['definition.thankYou.text']}
                      maxLength={2000}
                      autosize
                      minRows={2}
                    />
                    <TextInput
                      type="url"
                      label={t('forms.redirectUrl')}
                      description={t('forms.redirectUrlHint')}
                      placeholder="https://"
                      value={draft.redirectUrl}
                      onChange={(event) => set('redirectUrl', event.currentTarget.value)}
                      error={errors['definition.redirectUrl']}
                    />
                  </Stack>
                </Section>
              </Stack>
            </Fieldset>
            {canManage && (
              <Group justify="flex-end" gap="sm">
                {isDirty && !isNew && (
                  <Text size="sm" c="dimmed">
                    {t('forms.unsaved')}
                  </Text>
                )}
                <Button type="submit" loading={isBusy} leftSection={<IconDeviceFloppy size={16} />}>
                  {isNew ? t('forms.create') : t('forms.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Box pos="sticky" top={76}>
            <FormPreview draft={draft} purposes={purposes} profile={profile} />
          </Box>
        </Grid.Col>
      </Grid>
    </form>
  );
}

export function FormBuilderPage() {
  const { t } = useI18n();
  const { slug } = useParams();
  const me = useMe();
  const canManage = hasPermission(me, 'forms.manage');
  const purposesQuery = useApiQuery<ItemList<Purpose>>('/api/v1/purposes');
  const profileQuery = useApiQuery<{ profile: OperatorProfile | null }>('/api/v1/operator-profile');
  const formQuery = useApiQuery<FormView>(
    slug === undefined ? null : `/api/v1/forms/${encodeURIComponent(slug)}`,
  );

  const backLink = (
    <Anchor component={Link} to="/forms" size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('forms.backToList')}
      </Group>
    </Anchor>
  );

  if (isApiError(formQuery.error) && formQuery.error.code === 'not_found') {
    return <NotFoundPage />;
  }
  const error = formQuery.error ?? purposesQuery.error ?? profileQuery.error;
  if (error !== null) {
    return (
      <>
        {backLink}
        <ErrorAlert
          error={error}
          onRetry={() => {
            formQuery.reload();
            purposesQuery.reload();
            profileQuery.reload();
          }}
        />
      </>
    );
  }
  const isFormReady = slug === undefined || formQuery.data?.slug === slug;
  if (purposesQuery.data === null || profileQuery.data === null || !isFormReady) {
    return (
      <>
        {backLink}
        <PageLoader />
      </>
    );
  }
  return (
    <>
      {backLink}
      <FormBuilder
        key={slug ?? 'new'}
        initial={slug === undefined ? null : formQuery.data}
        purposes={purposesQuery.data.items}
        profile={profileQuery.data.profile}
        canManage={canManage}
      />
    </>
  );
}
