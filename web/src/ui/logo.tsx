import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useI18n } from '../i18n/i18n-context.tsx';

type LogoProps = {
  size?: 'md' | 'lg';
  /** In the app header the name gives way to the organization switcher on phones. */
  isNameHiddenOnPhones?: boolean;
};

export function Logo({ size = 'md', isNameHiddenOnPhones = false }: LogoProps) {
  const { t } = useI18n();
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 36 : 30} radius="md" variant="filled" aria-hidden>
        <IconShieldCheck size={size === 'lg' ? 22 : 18} />
      </ThemeIcon>
      <Text
        fw={700}
        size={size === 'lg' ? 'xl' : 'lg'}
        c="var(--mantine-color-text)"
        visibleFrom={isNameHiddenOnPhones ? 'xs' : undefined}
      >
        {t('app.name')}
      </Text>
    </Group>
  );
}
