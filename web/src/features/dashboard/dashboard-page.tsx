import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconArrowRight, IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useMe } from '../../app/auth-context.tsx';
import { ADMIN_ITEMS, visibleItems } from '../../app/nav-items.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

export function DashboardPage() {
  const { t, roleName } = useI18n();
  const me = useMe();
  const membership = me.memberships.find((item) => item.orgId === me.currentOrgId) ?? null;
  const sections = visibleItems(ADMIN_ITEMS, me.permissions);

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('dashboard.greeting', { name: me.user.name })}
      </Title>

      {membership === null ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
          {t('dashboard.noOrganization')}
        </Alert>
      ) : (
        <Paper withBorder radius="md" p="lg">
          <Group gap="xl" wrap="wrap">
            <Stack gap={2}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('dashboard.organization')}
              </Text>
              <Text size="lg" fw={600}>
                {membership.orgName}
              </Text>
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('dashboard.role')}
              </Text>
              <Badge size="lg" variant="light" radius="sm" tt="none">
                {roleName(me.role)}
              </Badge>
            </Stack>
          </Group>
        </Paper>
      )}

      {membership !== null && (
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('dashboard.sections')}
          </Title>
          {sections.length === 0 ? (
            <Text c="dimmed">{t('dashboard.noSections')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
              {sections.map((item) => {
                const Icon = item.icon;
                return (
                  <Card key={item.path} withBorder radius="md" padding="lg">
                    <Group gap="sm" mb="xs" wrap="nowrap">
                      <ThemeIcon variant="light" size="lg" radius="md">
                        <Icon size={20} />
                      </ThemeIcon>
                      <Text fw={600} id={`section-${item.path.slice(1)}`}>
                        {t(item.labelKey)}
                      </Text>
                    </Group>
                    {item.descriptionKey && (
                      <Text size="sm" c="dimmed" mb="md">
                        {t(item.descriptionKey)}
                      </Text>
                    )}
                    <Anchor
                      component={Link}
                      to={item.path}
                      size="sm"
                      mt="auto"
                      aria-describedby={`section-${item.path.slice(1)}`}
                    >
                      <Group gap={4} component="span">
                        {t('common.open')}
                        <IconArrowRight size={14} />
                      </Group>
                    </Anchor>
                  </Card>
                );
              })}
            </SimpleGrid>
          )}
        </Stack>
      )}

      <Paper withBorder radius="md" p="lg" bg="var(--mantine-color-blue-light)">
        <Text fw={600} mb={4}>
          {t('dashboard.upcomingTitle')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('dashboard.upcomingDescription')}
        </Text>
      </Paper>
    </Stack>
  );
}
