import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';

export type Detail = {
  label: string;
  /** Text is shown as is; null or an empty string shows a dash. */
  value: ReactNode;
  /** Takes the whole row: long text such as an address or a list. */
  isWide?: boolean;
};

/** Read-only label and value pairs, two columns on wide screens. */
export function DetailList({ items }: { items: Detail[] }) {
  const { t } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md" component="dl" m={0}>
      {items.map((item) => (
        <Stack
          key={item.label}
          gap={2}
          style={item.isWide ? { gridColumn: '1 / -1' } : undefined}
          miw={0}
        >
          <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
            {item.label}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
            {item.value === null || item.value === '' || item.value === undefined
              ? t('common.dash')
              : item.value}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
