import { Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import type { Me } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth-context.tsx';
import { AuthLayout } from '../../app/auth-layout.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import {
  type FormErrors,
  hasErrors,
  isEmail,
  MIN_PASSWORD_LENGTH,
  serverFieldErrors,
} from '../../ui/form-errors.ts';
import { useFocusOnMount } from '../../ui/use-focus-on-mount.ts';
import { isValidSlug, slugify } from './slug.ts';

type Field = 'orgName' | 'orgSlug' | 'name' | 'email' | 'password';

const FIELDS: readonly Field[] = ['orgName', 'orgSlug', 'name', 'email', 'password'];

type Values = Record<Field, string>;

const EMPTY: Values = { orgName: '', orgSlug: '', name: '', email: '', password: '' };

export function SetupPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { acceptMe, reload } = useAuth();
  const [values, setValues] = useState<Values>(EMPTY);
  // The slug follows the name until the user edits it.
  const [isSlugEdited, setIsSlugEdited] = useState(false);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const firstFieldRef = useFocusOnMount<HTMLInputElement>();

  const set = (field: Field, value: string) => {
    setValues((current) => {
      const next = { ...current, [field]: value };
      if (field === 'orgName' && !isSlugEdited) {
        next.orgSlug = slugify(value);
      }
      return next;
    });
  };

  const validate = (): FormErrors<Field> => {
    const required = (value: string) => (value.trim() ? undefined : t('validation.required'));
    return {
      orgName: required(values.orgName),
      orgSlug:
        required(values.orgSlug) ??
        (isValidSlug(values.orgSlug) ? undefined : t('validation.slug')),
      name: required(values.name),
      email: required(values.email) ?? (isEmail(values.email) ? undefined : t('validation.email')),
      password:
        values.password.length >= MIN_PASSWORD_LENGTH
          ? undefined
          : values.password
            ? t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })
            : t('validation.required'),
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setError(null);
    if (hasErrors(found)) {
      return;
    }
    setIsBusy(true);
    try {
      const me = await api.post<Me>('/api/v1/setup', {
        orgName: values.orgName.trim(),
        orgSlug: values.orgSlug,
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
      });
      acceptMe(me);
    } catch (caught) {
      setIsBusy(false);
      // Someone finished the setup in another tab: go on to the login page.
      if (isApiError(caught) && caught.code === 'setup_done') {
        reload();
        return;
      }
      setError(caught);
      setErrors(serverFieldErrors(caught, FIELDS, i18n));
    }
  };

  const input = (field: Field) => ({
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(field, event.currentTarget.value),
    error: errors[field],
  });

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.description')} width={480}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {error !== null && <ErrorAlert error={error} />}
          <Divider label={t('setup.orgSection')} labelPosition="left" />
          <TextInput
            label={t('setup.orgName')}
            placeholder={t('setup.orgNamePlaceholder')}
            autoComplete="organization"
            ref={firstFieldRef}
            {...input('orgName')}
          />
          <TextInput
            label={t('setup.orgSlug')}
            description={t('setup.orgSlugHint')}
            autoComplete="off"
            spellCheck={false}
            {...input('orgSlug')}
            onChange={(event) => {
              setIsSlugEdited(true);
              set('orgSlug', event.currentTarget.value.toLowerCase());
            }}
          />
          <Divider label={t('setup.ownerSection')} labelPosition="left" mt="xs" />
          <TextInput
            label={t('setup.name')}
            placeholder={t('setup.namePlaceholder')}
            autoComplete="name"
            {...input('name')}
          />
          <TextInput
            label={t('setup.email')}
            type="email"
            autoComplete="email"
            {...input('email')}
          />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            autoComplete="new-password"
            {...input('password')}
          />
          <Button type="submit" loading={isBusy} fullWidth mt="xs">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
