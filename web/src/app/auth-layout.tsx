import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { Logo } from '../ui/logo.tsx';
import { LanguageSwitch } from './language-switch.tsx';

type AuthLayoutProps = {
  title: string;
  subtitle?: string;
  width?: number;
  children: ReactNode;
};

/** The frame of the pages before sign-in: first-run setup and login. */
export function AuthLayout({ title, subtitle, width = 420, children }: AuthLayoutProps) {
  const { t } = useI18n();
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)" py="xl" px="md">
      <Group justify="flex-end" maw={width} mx="auto" mb="md">
        <LanguageSwitch />
      </Group>
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Stack gap={4} align="center">
            <Logo size="lg" />
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" radius="md" p="xl" component="main">
            <Stack gap={4} mb="lg">
              <Title order={1} size="h3">
                {title}
              </Title>
              {subtitle && (
                <Text size="sm" c="dimmed">
                  {subtitle}
                </Text>
              )}
            </Stack>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
