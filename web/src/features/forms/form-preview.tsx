import {
  Anchor,
  Box,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { useState } from 'react';
import type { OperatorProfile, Purpose } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { FormDraft } from './form-draft.ts';

// The public form speaks to the clinic's patients in Russian, whatever the staff's interface
// language; these mirror the hosted page (src/forms/public-form.page.ts).
const PUBLIC_TEXT = {
  consents: 'Согласия',
  required: '(обязательно)',
  optional: '(по желанию)',
  recipients: 'Получатели данных',
  documentLink: 'Текст согласия (версия {version})',
  policyLink: 'Политика обработки персональных данных',
  operator: 'Оператор персональных данных',
};

const COUNTRIES: Record<string, string> = { RU: 'Россия' };

/** The label of a purpose's own checkbox, as the hosted page words it. */
export function checkboxLabel(purpose: Purpose): string {
  const version = purpose.currentVersion;
  switch (purpose.kind) {
    case 'advertising':
      return `Даю согласие на получение рекламных сообщений: ${version.title}`;
    case 'transfer':
      return `Даю согласие на передачу моих данных: ${version.recipients
        .map((recipient) => `${recipient.name} (${recipient.country})`)
        .join(', ')}`;
    case 'distribution':
      return `Даю согласие на распространение персональных данных: ${version.title}`;
    default:
      return `Даю согласие на обработку персональных данных: ${version.title}`;
  }
}

type FormPreviewProps = {
  draft: FormDraft;
  purposes: Purpose[];
  profile: OperatorProfile | null;
};

/**
 * The form as a visitor sees it, built in the browser from the unsaved draft: fields with
 * their labels, one unchecked checkbox per purpose with its document link, the policy link.
 */
export function FormPreview({ draft, purposes, profile }: FormPreviewProps) {
  const { t } = useI18n();
  const [screen, setScreen] = useState<'form' | 'thanks'>('form');
  // Ticks in the preview are the viewer's own; they reset with the draft's checkboxes.
  const [checked, setChecked] = useState<Record<number, boolean>>({});

  const consents = draft.consents.flatMap((consent) => {
    const purpose = purposes.find((candidate) => candidate.code === consent.purpose);
    return purpose?.document ? [{ consent, purpose, document: purpose.document }] : [];
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={6}>
          <IconEye size={18} />
          <Title order={2} size="h4">
            {t('forms.preview')}
          </Title>
        </Group>
        <SegmentedControl
          size="xs"
          value={screen}
          onChange={(value) => setScreen(value === 'thanks' ? 'thanks' : 'form')}
          data={[
            { value: 'form', label: t('forms.previewForm') },
            { value: 'thanks', label: t('forms.previewThanks') },
          ]}
          aria-label={t('forms.previewScreen')}
        />
      </Group>
      <Text size="xs" c="dimmed">
        {t('forms.previewHint')}
      </Text>
      <Paper
        withBorder
        radius="md"
        p="lg"
        shadow="xs"
        bg="var(--mantine-color-body)"
        data-testid="form-preview"
        lang="ru"
      >
        {screen === 'thanks' ? (
          <Stack gap="xs" py="lg" ta="center">
            <Title order={3} size="h3">
              {draft.thankYouTitle}
            </Title>
            {draft.thankYouText && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {draft.thankYouText}
              </Text>
            )}
            {draft.redirectUrl.trim() && (
              <Text size="xs" c="dimmed">
                {t('forms.previewRedirect', { url: draft.redirectUrl.trim() })}
              </Text>
            )}
          </Stack>
        ) : (
          <Box component="form" onSubmit={(event) => event.preventDefault()} noValidate>
            <Stack gap="md">
              <Title order={3} size="h3">
                {draft.title || t('forms.untitled')}
              </Title>
              {draft.fields.map((field) => {
                const common = {
                  label: field.label || field.name || t('forms.untitledField'),
                  withAsterisk: field.isRequired,
                  maxLength: field.maxLength,
                  name: field.name,
                };
                return field.type === 'textarea' ? (
                  <Textarea key={field.key} {...common} autosize minRows={3} />
                ) : (
                  <TextInput key={field.key} {...common} type={field.type} />
                );
              })}
              <Fieldset legend={PUBLIC_TEXT.consents} variant="unstyled" p={0} m={0}>
                <Stack gap="sm">
                  {consents.length === 0 && (
                    <Text size="sm" c="dimmed" fs="italic">
                      {t('forms.previewNoConsents')}
                    </Text>
                  )}
                  {consents.map(({ consent, purpose, document }) => (
                    <Stack gap={4} key={consent.key}>
                      <Checkbox
                        checked={checked[consent.key] ?? false}
                        onChange={(event) => {
                          const value = event.currentTarget.checked;
                          setChecked((current) => ({ ...current, [consent.key]: value }));
                        }}
                        label={
                          <>
                            {checkboxLabel(purpose)}{' '}
                            <Text span c="dimmed" size="xs">
                              {consent.isRequired ? PUBLIC_TEXT.required : PUBLIC_TEXT.optional}
                            </Text>
                          </>
                        }
                      />
                      {purpose.currentVersion.recipients.length > 0 && (
                        <Text size="xs" ml={32}>
                          {PUBLIC_TEXT.recipients}:{' '}
                          {purpose.currentVersion.recipients
                            .map(
                              (recipient) =>
                                `${recipient.name} (${COUNTRIES[recipient.country] ?? recipient.country})`,
                            )
                            .join('; ')}
                        </Text>
                      )}
                      <Anchor
                        href={document.url}
                        target="_blank"
                        rel="noopener noreferrer"
                        size="xs"
                        ml={32}
                      >
                        {PUBLIC_TEXT.documentLink.replace('{version}', String(document.version))}
                      </Anchor>
                    </Stack>
                  ))}
                  {profile?.policyUrl ? (
                    <Anchor
                      href={profile.policyUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      size="xs"
                    >
                      {PUBLIC_TEXT.policyLink}
                    </Anchor>
                  ) : (
                    <Text size="xs" c="red">
                      {t('forms.previewNoPolicy')}
                    </Text>
                  )}
                </Stack>
              </Fieldset>
              <Button type="submit" fullWidth>
                {draft.submitLabel || t('forms.untitledSubmit')}
              </Button>
              {profile && (
                <Text size="xs" c="dimmed">
                  {PUBLIC_TEXT.operator}: {profile.legalName}
                </Text>
              )}
            </Stack>
          </Box>
        )}
      </Paper>
    </Stack>
  );
}
