import {
  Alert,
  Button,
  Code,
  Group,
  Image,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { MONO_INPUT } from '../../ui/mono-input.ts';
import { PageLoader } from '../../ui/page-loader.tsx';

type Status = { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number };
type Setup = { secret: string; otpauthUri: string; qrSvg: string };

type Step =
  | { kind: 'status' }
  | { kind: 'setup'; setup: Setup }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'renew' }
  | { kind: 'disable' };

type TwoFactorModalProps = { opened: boolean; onClose: () => void };

/** Turning two-factor sign-in on and off, and the recovery codes. */
export function TwoFactorModal({ opened, onClose }: TwoFactorModalProps) {
  const { t } = useI18n();
  const status = useApiQuery<Status>(opened ? '/api/v1/me/two-factor' : null);
  const [step, setStep] = useState<Step>({ kind: 'status' });

  const close = () => {
    setStep({ kind: 'status' });
    onClose();
  };
  const backToStatus = () => {
    setStep({ kind: 'status' });
    status.reload();
  };

  const renderBody = () => {
    if (step.kind === 'setup') {
      return (
        <ConfirmStep setup={step.setup} onDone={(codes) => setStep({ kind: 'codes', codes })} />
      );
    }
    if (step.kind === 'codes') return <RecoveryCodes codes={step.codes} onDone={backToStatus} />;
    if (step.kind === 'renew') {
      return (
        <CodeForm
          path="/api/v1/me/two-factor/recovery-codes"
          submitLabel={t('twoFactor.renew')}
          onDone={(codes) => setStep({ kind: 'codes', codes: codes ?? [] })}
          onCancel={backToStatus}
        />
      );
    }
    if (step.kind === 'disable') {
      return (
        <CodeForm
          path="/api/v1/me/two-factor/disable"
          withPassword
          hint={t('twoFactor.disableHint')}
          submitLabel={t('twoFactor.disable')}
          isDanger
          onDone={backToStatus}
          onCancel={backToStatus}
        />
      );
    }
    if (status.error) return <ErrorAlert error={status.error} onRetry={status.reload} />;
    if (!status.data) return <PageLoader py={24} />;
    if (!status.data.enabled) {
      return <StartStep onStarted={(setup) => setStep({ kind: 'setup', setup })} />;
    }
    return <EnabledState status={status.data} onStep={setStep} />;
  };

  return (
    <Modal opened={opened} onClose={close} title={t('twoFactor.title')} size="md">
      {renderBody()}
    </Modal>
  );
}

function EnabledState({ status, onStep }: { status: Status; onStep: (step: Step) => void }) {
  const { t, locale } = useI18n();
  return (
    <Stack gap="md">
      <Alert color="green" variant="light" icon={<IconShieldCheck size={18} />}>
        {t('twoFactor.enabledSince', { date: formatDate(locale, status.enabledAt) })}
      </Alert>
      <Text size="sm">{t('twoFactor.codesLeft', { count: String(status.recoveryCodesLeft) })}</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onStep({ kind: 'renew' })}>
          {t('twoFactor.renew')}
        </Button>
        <Button color="red" variant="light" onClick={() => onStep({ kind: 'disable' })}>
          {t('twoFactor.disable')}
        </Button>
      </Group>
    </Stack>
  );
}

function StartStep({ onStarted }: { onStarted: (setup: Setup) => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setFieldError(t('validation.required'));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      onStarted(await api.post<Setup>('/api/v1/me/two-factor/setup', { password }));
    } catch (caught) {
      setIsBusy(false);
      if (isApiError(caught) && caught.fields.password) {
        setFieldError(t('twoFactor.wrongPassword'));
        return;
      }
      setError(caught);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('twoFactor.intro')}</Text>
        {error !== null && <ErrorAlert error={error} />}
        <PasswordInput
          label={t('twoFactor.password')}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={fieldError}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button type="submit" loading={isBusy}>
            {t('twoFactor.start')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ConfirmStep({ setup, onDone }: { setup: Setup; onDone: (codes: string[]) => void }) {
  const { t } = useI18n();
  const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrSvg)}`;
  return (
    <Stack gap="md">
      <Text size="sm">{t('twoFactor.scan')}</Text>
      <Image src={qrSource} alt={t('twoFactor.qrAlt')} w={200} h={200} mx="auto" />
      <TextInput
        label={t('twoFactor.secret')}
        value={setup.secret}
        readOnly
        styles={MONO_INPUT}
        onFocus={(event) => event.currentTarget.select()}
      />
      <CodeForm
        path="/api/v1/me/two-factor/confirm"
        submitLabel={t('twoFactor.confirm')}
        onDone={(codes) => onDone(codes ?? [])}
      />
    </Stack>
  );
}

/** A code (and maybe the password) posted to `path`; recovery codes come back from some. */
function CodeForm(props: {
  path: string;
  submitLabel: string;
  withPassword?: boolean;
  hint?: string;
  isDanger?: boolean;
  onDone: (recoveryCodes: string[] | null) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ password?: string; code?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = {
      password: props.withPassword && !password ? t('validation.required') : undefined,
      code: code.trim().length < 6 ? t('login.codeRequired') : undefined,
    };
    setErrors(found);
    setError(null);
    if (found.password || found.code) return;
    setIsBusy(true);
    try {
      const body = props.withPassword ? { password, code: code.trim() } : { code: code.trim() };
      const answer = await api.post<{ recoveryCodes: string[] } | undefined>(props.path, body);
      props.onDone(answer?.recoveryCodes ?? null);
    } catch (caught) {
      setIsBusy(false);
      setCode('');
      if (isApiError(caught) && (caught.fields.code || caught.fields.password)) {
        setErrors({
          password: caught.fields.password ? t('twoFactor.wrongPassword') : undefined,
          code: caught.fields.code ? t('twoFactor.wrongCode') : undefined,
        });
        return;
      }
      setError(caught);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        {props.hint && <Text size="sm">{props.hint}</Text>}
        {error !== null && <ErrorAlert error={error} />}
        {props.withPassword && (
          <PasswordInput
            label={t('twoFactor.password')}
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errors.password}
            data-autofocus
          />
        )}
        <TextInput
          label={t('twoFactor.code')}
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={errors.code}
          maxLength={20}
          data-autofocus={props.withPassword ? undefined : true}
        />
        <Group justify="flex-end">
          {props.onCancel && (
            <Button variant="default" onClick={props.onCancel} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={isBusy} color={props.isDanger ? 'red' : undefined}>
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const download = () => {
    const blob = new Blob([`${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = 'soglasie-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack gap="md">
      <Text fw={600}>{t('twoFactor.recoveryTitle')}</Text>
      <Text size="sm">{t('twoFactor.recoveryIntro')}</Text>
      <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
        {codes.map((code) => (
          <Code key={code} ta="center" fz="md">
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Group justify="flex-end">
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
          {t('twoFactor.download')}
        </Button>
        <Button onClick={onDone}>{t('twoFactor.done')}</Button>
      </Group>
    </Stack>
  );
}
