import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  EmptyState,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconBuildingBank,
  IconCheck,
  IconDeviceFloppy,
  IconInfoCircle,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { OperatorProfile } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { DetailList } from '../../ui/detail-list.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { serverErrorsByPath } from '../../ui/form-errors.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { PageLoader } from '../../ui/page-loader.tsx';
import { rowKey } from '../../ui/row-key.ts';
import {
  bodyOf,
  draftOf,
  MAX_PROCESSORS,
  type ProfileDraft,
  type ProfileErrors,
  validateDraft,
} from './profile-form.ts';

type ProfileAnswer = { profile: OperatorProfile | null };

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section">
      <Stack gap={4} mb="md">
        <Title order={2} size="h4">
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Paper>
  );
}

function ProfileView({ profile }: { profile: OperatorProfile }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Stack gap="md">
      <Section title={t('profile.sectionOrganization')}>
        <DetailList
          items={[
            { label: t('profile.legalName'), value: profile.legalName, isWide: true },
            { label: t('profile.address'), value: profile.address, isWide: true },
            { label: t('profile.inn'), value: profile.inn },
            { label: t('profile.ogrn'), value: profile.ogrn },
          ]}
        />
      </Section>
      <Section title={t('profile.sectionResponsible')}>
        <DetailList
          items={[
            { label: t('profile.responsibleName'), value: profile.responsibleName },
            { label: t('profile.responsibleContacts'), value: profile.responsibleContacts },
          ]}
        />
      </Section>
      <Section title={t('profile.sectionProcessors')}>
        {profile.processors.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('profile.noProcessors')}
          </Text>
        ) : (
          <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {profile.processors.map((processor) => (
              <Text component="li" size="sm" key={`${processor.name}|${processor.address}`}>
                <Text span fw={500}>
                  {processor.name}
                </Text>
                {', '}
                {processor.address}
              </Text>
            ))}
          </Stack>
        )}
      </Section>
      <Section title={t('profile.sectionRegistry')}>
        <DetailList
          items={[
            { label: t('profile.rknRegisterNumber'), value: profile.rknRegisterNumber },
            {
              label: t('profile.policyUrl'),
              value: profile.policyUrl ? (
                <Anchor href={profile.policyUrl} target="_blank" rel="noopener noreferrer">
                  {profile.policyUrl}
                </Anchor>
              ) : null,
            },
          ]}
        />
      </Section>
      <Text size="xs" c="dimmed">
        {t('profile.updatedAt', { date: formatDateTime(profile.updatedAt) })}
      </Text>
    </Stack>
  );
}

type ProfileFormProps = {
  profile: OperatorProfile | null;
  onSaved: (profile: OperatorProfile) => void;
};

function ProfileForm({ profile, onSaved }: ProfileFormProps) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const [draft, setDraft] = useState<ProfileDraft>(() => draftOf(profile));
  const [errors, setErrors] = useState<ProfileErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const set = <K extends keyof ProfileDraft>(field: K, value: ProfileDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setSavedAt(null);
  };

  const setProcessor = (index: number, field: 'name' | 'address', value: string) => {
    set(
      'processors',
      draft.processors.map((processor, at) =>
        at === index ? { ...processor, [field]: value } : processor,
      ),
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(draft, i18n);
    setErrors(found);
    setError(null);
    setSavedAt(null);
    if (Object.values(found).some(Boolean)) {
      return;
    }
    setIsBusy(true);
    try {
      const saved = await api.put<ProfileAnswer>('/api/v1/operator-profile', bodyOf(draft));
      if (saved.profile) {
        onSaved(saved.profile);
        setSavedAt(saved.profile.updatedAt);
      }
    } catch (caught) {
      setError(caught);
      setErrors(serverErrorsByPath(caught, i18n));
    } finally {
      setIsBusy(false);
    }
  };

  const input = (field: keyof Omit<ProfileDraft, 'processors'>) => ({
    value: draft[field],
    onChange: (event: { currentTarget: { value: string } }) =>
      set(field, event.currentTarget.value),
    error: errors[field],
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        {error !== null && <ErrorAlert error={error} />}
        <Section title={t('profile.sectionOrganization')}>
          <Stack gap="md">
            <TextInput
              label={t('profile.legalName')}
              placeholder={t('profile.legalNamePlaceholder')}
              required
              {...input('legalName')}
            />
            <TextInput
              label={t('profile.address')}
              description={t('profile.addressHint')}
              required
              {...input('address')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('profile.inn')}
                description={t('profile.innHint')}
                inputMode="numeric"
                maxLength={12}
                {...input('inn')}
              />
              <TextInput
                label={t('profile.ogrn')}
                description={t('profile.ogrnHint')}
                inputMode="numeric"
                maxLength={15}
                {...input('ogrn')}
              />
            </SimpleGrid>
          </Stack>
        </Section>

        <Section
          title={t('profile.sectionResponsible')}
          description={t('profile.sectionResponsibleHint')}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('profile.responsibleName')}
              required
              autoComplete="off"
              {...input('responsibleName')}
            />
            <TextInput
              label={t('profile.responsibleContacts')}
              description={t('profile.responsibleContactsHint')}
              required
              autoComplete="off"
              {...input('responsibleContacts')}
            />
          </SimpleGrid>
        </Section>

        <Section
          title={t('profile.sectionProcessors')}
          description={t('profile.sectionProcessorsHint')}
        >
          <Stack gap="sm">
            {draft.processors.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('profile.noProcessors')}
              </Text>
            )}
            {draft.processors.map((processor, index) => (
              <Group key={processor.key} align="flex-start" gap="sm" wrap="nowrap">
                <SimpleGrid cols={{ base: 1, sm: 2 }} style={{ flex: 1 }}>
                  <TextInput
                    label={t('profile.processorName', { number: index + 1 })}
                    value={processor.name}
                    onChange={(event) => setProcessor(index, 'name', event.currentTarget.value)}
                    error={errors[`processors.${index}.name`]}
                  />
                  <TextInput
                    label={t('profile.processorAddress', { number: index + 1 })}
                    value={processor.address}
                    onChange={(event) => setProcessor(index, 'address', event.currentTarget.value)}
                    error={errors[`processors.${index}.address`]}
                  />
                </SimpleGrid>
                <Tooltip label={t('profile.removeProcessor')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={28}
                    aria-label={t('profile.removeProcessorLabel', { number: index + 1 })}
                    onClick={() =>
                      set(
                        'processors',
                        draft.processors.filter((_, at) => at !== index),
                      )
                    }
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                disabled={draft.processors.length >= MAX_PROCESSORS}
                onClick={() =>
                  set('processors', [...draft.processors, { key: rowKey(), name: '', address: '' }])
                }
              >
                {t('profile.addProcessor')}
              </Button>
            </Group>
          </Stack>
        </Section>

        <Section title={t('profile.sectionRegistry')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('profile.rknRegisterNumber')}
              description={t('profile.rknRegisterNumberHint')}
              {...input('rknRegisterNumber')}
            />
            <TextInput
              type="url"
              label={t('profile.policyUrl')}
              description={t('profile.policyUrlHint')}
              placeholder="https://"
              {...input('policyUrl')}
            />
          </SimpleGrid>
        </Section>

        {savedAt !== null && (
          <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
            {t('profile.saved', { date: formatDateTime(savedAt) })}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={isBusy} leftSection={<IconDeviceFloppy size={16} />}>
            {t('profile.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function OperatorProfilePage() {
  const { t } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'profile.manage');
  const query = useApiQuery<ProfileAnswer>('/api/v1/operator-profile');
  // The answer of the last save, once there is one; the loaded profile until then.
  const [saved, setSaved] = useState<OperatorProfile | null>(null);
  const profile = saved ?? query.data?.profile ?? null;

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (query.data === null) {
      return <PageLoader />;
    }
    const isEmpty = profile === null;
    if (!canManage) {
      return profile === null ? (
        <Paper withBorder radius="md" py={48} px="md">
          <EmptyState
            icon={<IconBuildingBank size={28} />}
            withIndicatorBackground
            title={t('profile.emptyTitle')}
            description={`${t('profile.emptyDescription')} ${t('profile.emptyReadOnly')}`}
          />
        </Paper>
      ) : (
        <ProfileView profile={profile} />
      );
    }
    return (
      <Stack gap="md">
        {isEmpty ? (
          <Alert
            color="yellow"
            variant="light"
            icon={<IconInfoCircle size={18} />}
            title={t('profile.emptyTitle')}
          >
            {t('profile.emptyDescription')}
          </Alert>
        ) : (
          !profile.policyUrl && (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('profile.noPolicyWarning')}
            </Alert>
          )
        )}
        <ProfileForm profile={profile} onSaved={setSaved} />
      </Stack>
    );
  };

  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.description')} />
      {renderBody()}
    </>
  );
}
