import { Button, Group } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useAnalyticsI18n } from './analytics-i18n.ts';
import { exportHref } from './analytics-types.ts';

/** CSV and XLSX of one report table, with the filters on screen. */
export function ExportButtons({
  query,
}: {
  query: Record<string, string | number | null | undefined>;
}) {
  const { t } = useAnalyticsI18n();
  return (
    <Group gap="xs">
      {(['csv', 'xlsx'] as const).map((format) => (
        <Button
          key={format}
          component="a"
          href={exportHref({ ...query, format })}
          size="compact-sm"
          variant="light"
          leftSection={<IconDownload size={14} />}
        >
          {t('analytics.export')} {format.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
