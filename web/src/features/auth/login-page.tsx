import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import type { LoginChallenge, Me } from '../../app/api-types.ts';
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
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();

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
      const answer = await api.post<Me | LoginChallenge>('/api/v1/auth/login', {
        email: email.trim(),
        password,
      });
      if ('twoFactor' in answer) {
        setChallenge(answer.challenge);
        setIsBusy(false);
        return;
      }
      acceptMe(answer);
    } catch (caught) {
      setError(caught);
      setErrors(serverFieldErrors(caught, FIELDS, i18n));
      setIsBusy(false);
    }
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (code.trim().length < 6) {
      setCodeError(t('login.codeRequired'));
      return;
    }
    setCodeError(undefined);
    setIsBusy(true);
    try {
      acceptMe(
        await api.post<Me>('/api/v1/auth/login/two-factor', { challenge, code: code.trim() }),
      );
    } catch (caught) {
      setIsBusy(false);
      setCode('');
      if (isApiError(caught) && caught.code === 'invalid_credentials') {
        if (/expired/i.test(caught.message)) {
          // The challenge is gone: back to the password.
          setChallenge(null);
          setPassword('');
          setError(caught);
          return;
        }
        setCodeError(t('login.codeWrong'));
        return;
      }
      if (isApiError(caught) && caught.code === 'too_many_attempts') setChallenge(null);
      setError(caught);
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

  if (challenge) {
    return (
      <AuthLayout title={t('login.codeTitle')} subtitle={t('login.codeSubtitle')}>
        <form onSubmit={(event) => void submitCode(event)} noValidate>
          <Stack gap="md">
            {renderError()}
            <TextInput
              label={t('login.code')}
              description={t('login.codeHint')}
              autoComplete="one-time-code"
              inputMode="text"
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={codeError}
              data-autofocus
              autoFocus
              maxLength={20}
            />
            <Button type="submit" loading={isBusy} fullWidth mt="xs">
              {t('login.codeSubmit')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setChallenge(null);
                setCode('');
                setPassword('');
              }}
            >
              {t('login.codeBack')}
            </Button>
          </Stack>
        </form>
      </AuthLayout>
    );
  }

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
