import { Badge, Group, Text } from '@mantine/core';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { reasonKey, sortedCounts } from './outbound-types.ts';

/** Why the outbound check refused, in words, with the code for support. */
export function ReasonBadge({ reason }: { reason: string }) {
  const { t } = useI18n();
  const key = reasonKey(reason);
  return (
    <Badge variant="light" color="gray" radius="sm" tt="none" title={reason}>
      {key ? t(key) : reason}
    </Badge>
  );
}

/** Refusals counted per reason; a dash when there are none. */
export function ReasonCounts({ counts }: { counts: Record<string, number> }) {
  const { t, formatNumber } = useI18n();
  const entries = sortedCounts(counts);
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
        const key = reasonKey(reason);
        return (
          <Badge key={reason} variant="light" color="gray" radius="sm" tt="none" title={reason}>
            {key ? t(key) : reason}: {formatNumber(count)}
          </Badge>
        );
      })}
    </Group>
  );
}
