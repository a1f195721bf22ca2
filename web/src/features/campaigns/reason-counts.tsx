import { Badge, Group, Text } from '@mantine/core';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { campaignReasonKey } from './campaign-types.ts';

/** Who was left out, counted per reason of the outbound check; a dash when nobody. */
export function ExclusionCounts({ counts }: { counts: Record<string, number> }) {
  const { t, formatNumber } = useI18n();
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((left, right) => right[1] - left[1]);
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('common.dash')}
      </Text>
    );
  }
  return (
    <Group gap={6}>
      {entries.map(([reason, count]) => {
        const key = campaignReasonKey(reason);
        return (
          <Badge key={reason} variant="light" color="gray" radius="sm" tt="none" title={reason}>
            {key ? t(key) : reason}: {formatNumber(count)}
          </Badge>
        );
      })}
    </Group>
  );
}
