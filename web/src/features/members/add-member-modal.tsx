import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../app/api-client.ts';
import type { Member } from '../../app/api-types.ts';
import { useMe } from '../../app/auth-context.tsx';
import type { Role } from '../../app/roles.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import {
  type FormErrors,
  hasErrors,
  isEmail,
  MIN_PASSWORD_LENGTH,
  serverFieldErrors,
} from '../../ui/form-errors.ts';
import { roleOptions } from '../../ui/role-options.ts';

type Field = 'email' | 'name' | 'role' | 'password';

const FIELDS: readonly Field[] = ['email', 'name', 'role', 'password'];

const DEFAULT_ROLE: Role = 'front_desk';

type AddMemberModalProps = {
  opened: boolean;
  onClose: () => void;
  onAdded: (member: Member) => void;
};

export function AddMemberModal({ opened, onClose, onAdded }: AddMemberModalProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(DEFAULT_ROLE);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  const reset = () => {
    setEmail('');
    setName('');
    setRole(DEFAULT_ROLE);
    setPassword('');
    setErrors({});
    setError(null);
  };

  const close = () => {
    if (isBusy) {
      return;
    }
    reset();
    onClose();
  };

  const validate = (): FormErrors<Field> => ({
    email: !email.trim()
      ? t('validation.required')
      : isEmail(email)
        ? undefined
        : t('validation.email'),
    name: name.trim() ? undefined : t('validation.required'),
    role: role ? undefined : t('validation.required'),
    password:
      password.length >= MIN_PASSWORD_LENGTH
        ? undefined
        : password
          ? t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })
          : t('validation.required'),
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
      const member = await api.post<Member>('/api/v1/members', {
        email: email.trim(),
        name: name.trim(),
        role,
        password,
      });
      setIsBusy(false);
      reset();
      onAdded(member);
      onClose();
    } catch (caught) {
      setIsBusy(false);
      if (isApiError(caught) && caught.code === 'conflict') {
        setErrors({ email: t('members.alreadyMember') });
        return;
      }
      setError(caught);
      setErrors(serverFieldErrors(caught, FIELDS, i18n));
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('members.formTitle')}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {error !== null && <ErrorAlert error={error} />}
          <TextInput
            label={t('members.formEmail')}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.email}
            data-autofocus
          />
          <TextInput
            label={t('members.formName')}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.name}
          />
          <Select
            label={t('members.formRole')}
            data={roleOptions(i18n, me.role)}
            value={role}
            onChange={(value) => setRole(value ?? DEFAULT_ROLE)}
            allowDeselect={false}
            error={errors.role}
            comboboxProps={{ withinPortal: true }}
          />
          <PasswordInput
            label={t('members.formPassword')}
            description={t('members.formPasswordHint')}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errors.password}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={isBusy}>
              {t('members.formSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
