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
import { IconArrowRight, IconBuildingBank, IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { OperatorProfile } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { sectionItems } from '../../app/nav-items.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { IncidentsWidget } from '../incidents/incidents-widget.tsx';

/** Consent documents need the operator profile: those who can fill it in are told first. */
function ProfileReminder() {
  const { t } = useI18n();
  const query = useApiQuery<{ profile: OperatorProfile | null }>('/api/v1/operator-profile');
  if (query.data === null || query.data.profile?.policyUrl) {
    return null;
  }
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconBuildingBank size={18} />}
      title={t('dashboard.profileMissingTitle')}
    >
      <Text size="sm">{t('dashboard.profileMissing')}</Text>
      <Anchor component={Link} to="/operator-profile" size="sm" fw={500} mt={6} display="block">
        {t('dashboard.profileMissingAction')}
      </Anchor>
    </Alert>
  );
}

export function DashboardPage() {
  const { t, roleName } = useI18n();
  const me = useMe();
  const membership = me.memberships.find((item) => item.orgId === me.currentOrgId) ?? null;
  const sections = sectionItems(me.permissions);
  const canManageProfile = me.currentOrgId !== null && hasPermission(me, 'profile.manage');

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

      {canManageProfile && <ProfileReminder />}

      {membership !== null && hasPermission(me, 'incidents.read') && <IncidentsWidget />}

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
