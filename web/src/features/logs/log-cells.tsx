import { ActionIcon, Code, Popover, Stack, Text } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import type { Actor } from '../../app/api-types.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

export function ActorCell({ actor }: { actor: Actor }) {
  const { t } = useI18n();
  const typeLabel =
    actor.type === 'user'
      ? t('actor.user')
      : actor.type === 'token'
        ? t('actor.token')
        : t('actor.system');
  return (
    <Stack gap={0}>
      <Text size="sm">{actor.label || typeLabel}</Text>
      <Text size="xs" c="dimmed">
        {typeLabel}
      </Text>
    </Stack>
  );
}

export function CodeText({ value }: { value: string | null | undefined }) {
  const { t } = useI18n();
  if (!value) {
    return <Text size="sm">{t('common.dash')}</Text>;
  }
  return <Code>{value}</Code>;
}

/** A long identifier (uuid) shown short, with the full value on hover and for copying. */
export function ShortId({ value }: { value: string | null | undefined }) {
  if (!value) {
    return null;
  }
  const short = value.length > 12 ? `${value.slice(0, 8)}…` : value;
  return (
    <Text size="xs" c="dimmed" ff="monospace" title={value}>
      {short}
    </Text>
  );
}

export function TimeCell({ iso }: { iso: string }) {
  const { formatDateTime } = useI18n();
  return (
    <Text size="sm" style={{ whiteSpace: 'nowrap' }} component="time" dateTime={iso}>
      {formatDateTime(iso)}
    </Text>
  );
}

type DetailsButtonProps = {
  details: Record<string, unknown> | null;
  requestId: string | null;
};

export function DetailsButton({ details, requestId }: DetailsButtonProps) {
  const { t } = useI18n();
  const hasDetails = details !== null && Object.keys(details).length > 0;
  if (!hasDetails && !requestId) {
    return (
      <Text size="sm" c="dimmed">
        {t('common.dash')}
      </Text>
    );
  }
  return (
    <Popover position="left" withArrow shadow="md" width={380}>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('logs.showDetails')}>
          <IconListSearch size={18} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          {hasDetails ? (
            <Code block style={{ maxHeight: 280, overflow: 'auto' }}>
              {JSON.stringify(details, null, 2)}
            </Code>
          ) : (
            <Text size="sm" c="dimmed">
              {t('logs.noDetails')}
            </Text>
          )}
          {requestId && (
            <Text size="xs" c="dimmed">
              {t('logs.requestId')}: <Code>{requestId}</Code>
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
