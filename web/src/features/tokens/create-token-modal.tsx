import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { ApiToken, CreatedToken } from '../../app/api-types.ts';
import { useMe } from '../../app/auth-context.tsx';
import type { Role } from '../../app/roles.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { type FormErrors, hasErrors, serverFieldErrors } from '../../ui/form-errors.ts';
import { roleOptions } from '../../ui/role-options.ts';

type Field = 'name' | 'role' | 'expiresAt';

const FIELDS: readonly Field[] = ['name', 'role', 'expiresAt'];

const DEFAULT_ROLE: Role = 'front_desk';

function todayIsoDate(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

type CreateTokenModalProps = {
  opened: boolean;
  onClose: () => void;
  onCreated: (token: ApiToken) => void;
};

export function CreateTokenModal({ opened, onClose, onCreated }: CreateTokenModalProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(DEFAULT_ROLE);
  const [expiresOn, setExpiresOn] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  // The secret exists only in this state: it is never stored and is gone once the modal closes.
  const [secret, setSecret] = useState<string | null>(null);

  const close = () => {
    if (isBusy) {
      return;
    }
    setName('');
    setRole(DEFAULT_ROLE);
    setExpiresOn('');
    setErrors({});
    setError(null);
    setSecret(null);
    onClose();
  };

  const validate = (): FormErrors<Field> => ({
    name: name.trim() ? undefined : t('validation.required'),
    role: role ? undefined : t('validation.required'),
    expiresAt: expiresOn && expiresOn <= todayIsoDate() ? t('tokens.formExpiresInPast') : undefined,
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
      // A date means "valid through that day" in the user's time zone.
      const expiresAt = expiresOn ? new Date(`${expiresOn}T23:59:59.999`).toISOString() : undefined;
      const created = await api.post<CreatedToken>('/api/v1/tokens', {
        name: name.trim(),
        role,
        ...(expiresAt ? { expiresAt } : {}),
      });
      setSecret(created.secret);
      onCreated(created.token);
    } catch (caught) {
      setError(caught);
      setErrors(serverFieldErrors(caught, FIELDS, i18n));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={secret === null ? t('tokens.formTitle') : t('tokens.secretTitle')}
      centered
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      // The secret is shown once: closing by a stray click outside would lose it.
      closeOnClickOutside={secret === null}
    >
      {secret !== null ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
            {t('tokens.secretWarning')}
          </Alert>
          <Stack gap={6}>
            <Text size="sm" fw={500} id="token-secret-label">
              {t('tokens.secretLabel')}
            </Text>
            <Group gap="xs" wrap="nowrap" align="stretch">
              <Code
                block
                aria-labelledby="token-secret-label"
                style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
                data-testid="token-secret"
              >
                {secret}
              </Code>
              <CopyButton value={secret} timeout={2000}>
                {({ copied, copy }) => (
                  <Button
                    variant={copied ? 'light' : 'default'}
                    color={copied ? 'teal' : undefined}
                    leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    onClick={copy}
                    miw={140}
                    data-autofocus
                  >
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
          <Group justify="flex-end">
            <Button onClick={close}>{t('tokens.secretDone')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="md">
            {error !== null && <ErrorAlert error={error} />}
            <TextInput
              label={t('tokens.formName')}
              placeholder={t('tokens.formNamePlaceholder')}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errors.name}
              data-autofocus
            />
            <Select
              label={t('tokens.formRole')}
              data={roleOptions(i18n, me.role)}
              value={role}
              onChange={(value) => setRole(value ?? DEFAULT_ROLE)}
              allowDeselect={false}
              error={errors.role}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="date"
              label={t('tokens.formExpiresAt')}
              description={t('tokens.formExpiresAtHint')}
              value={expiresOn}
              min={todayIsoDate()}
              onChange={(event) => setExpiresOn(event.currentTarget.value)}
              error={errors.expiresAt}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={isBusy}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={isBusy}>
                {t('tokens.formSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
