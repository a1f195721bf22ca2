import { Avatar, Button, Menu, Text } from '@mantine/core';
import { IconChevronDown, IconLock, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useAuth, useMe } from './auth-context.tsx';

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

type UserMenuProps = {
  onChangePassword: () => void;
  onTwoFactor: () => void;
};

export function UserMenu({ onChangePassword, onTwoFactor }: UserMenuProps) {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const me = useMe();

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px="xs"
          leftSection={
            <Avatar size={28} radius="xl" color="blue">
              {initials(me.user.name)}
            </Avatar>
          }
          rightSection={<IconChevronDown size={14} />}
          aria-label={`${t('user.menu')}: ${me.user.name}`}
        >
          <Text size="sm" fw={500} visibleFrom="sm" truncate maw={160}>
            {me.user.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="var(--mantine-color-text)" truncate>
            {me.user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLock size={16} />} onClick={onChangePassword}>
          {t('user.changePassword')}
        </Menu.Item>
        <Menu.Item leftSection={<IconShieldLock size={16} />} onClick={onTwoFactor}>
          {t('user.twoFactor')}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
          {t('user.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
