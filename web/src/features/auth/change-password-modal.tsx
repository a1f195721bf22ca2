import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import {
  type FormErrors,
  hasErrors,
  MIN_PASSWORD_LENGTH,
  serverFieldErrors,
} from '../../ui/form-errors.ts';

type Field = 'currentPassword' | 'newPassword';

const FIELDS: readonly Field[] = ['currentPassword', 'newPassword'];

type ChangePasswordModalProps = {
  opened: boolean;
  onClose: () => void;
};

export function ChangePasswordModal({ opened, onClose }: ChangePasswordModalProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isDone, setIsDone] = useState(false);

  const close = () => {
    if (isBusy) {
      return;
    }
    setCurrentPassword('');
    setNewPassword('');
    setErrors({});
    setError(null);
    setIsDone(false);
    onClose();
  };

  const validate = (): FormErrors<Field> => ({
    currentPassword: currentPassword ? undefined : t('validation.required'),
    newPassword: !newPassword
      ? t('validation.required')
      : newPassword.length < MIN_PASSWORD_LENGTH
        ? t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })
        : newPassword === currentPassword
          ? t('password.sameAsCurrent')
          : undefined,
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
      await api.post<void>('/api/v1/auth/password', { currentPassword, newPassword });
      setIsDone(true);
      setCurrentPassword('');
      setNewPassword('');
    } catch (caught) {
      // The server answers a wrong current password with a field error on currentPassword.
      const isWrongCurrent =
        isApiError(caught) &&
        (caught.code === 'invalid_credentials' ||
          (caught.code === 'validation_failed' && caught.fields.currentPassword !== undefined));
      if (isWrongCurrent) {
        setErrors({ currentPassword: t('password.wrongCurrent') });
        return;
      }
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
      title={t('password.title')}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {isDone ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
            {t('password.done')}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="md">
            {error !== null && <ErrorAlert error={error} />}
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              value={currentPassword}
              onChange={(event) => setCurrentPassword(event.currentTarget.value)}
              error={errors.currentPassword}
              required
              data-autofocus
            />
            <PasswordInput
              label={t('password.new')}
              description={t('password.newHint')}
              autoComplete="new-password"
              value={newPassword}
              onChange={(event) => setNewPassword(event.currentTarget.value)}
              error={errors.newPassword}
              required
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={isBusy}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={isBusy}>
                {t('password.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
