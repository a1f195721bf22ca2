import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import type { Me } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth-context.tsx';
import { AuthLayout } from '../../app/auth-layout.tsx';
import { formatWait } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { type FormErrors, hasErrors, isEmail, serverFieldErrors } from '../../ui/form-errors.ts';
import { useFocusOnMount } from '../../ui/use-focus-on-mount.ts';

type Field = 'email' | 'password';

const FIELDS: readonly Field[] = ['email', 'password'];

export function LoginPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { acceptMe } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const emailRef = useFocusOnMount<HTMLInputElement>();

  const validate = (): FormErrors<Field> => ({
    email: !email.trim()
      ? t('validation.required')
      : isEmail(email)
        ? undefined
        : t('validation.email'),
    password: password ? undefined : t('validation.required'),
  });

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
      const me = await api.post<Me>('/api/v1/auth/login', { email: email.trim(), password });
      acceptMe(me);
    } catch (caught) {
      setError(caught);
      setErrors(serverFieldErrors(caught, FIELDS, i18n));
      setIsBusy(false);
    }
  };

  const renderError = () => {
    if (error === null) {
      return null;
    }
    if (isApiError(error) && error.code === 'too_many_attempts') {
      const seconds = error.retryAfterSeconds;
      return (
        <Alert color="orange" variant="light" icon={<IconClockHour4 size={18} />} role="alert">
          {seconds !== null && seconds > 0
            ? t('login.tooManyAttempts', { time: formatWait(locale, seconds) })
            : t('login.tooManyAttemptsLater')}
        </Alert>
      );
    }
    return <ErrorAlert error={error} />;
  };

  return (
    <AuthLayout title={t('login.title')} subtitle={t('login.subtitle')}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {renderError()}
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.email}
            ref={emailRef}
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errors.password}
          />
          <Button type="submit" loading={isBusy} fullWidth mt="xs">
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
