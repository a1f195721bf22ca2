import { Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';

type CopyFieldProps = {
  label: string;
  value: string;
  /** Several lines (embed code) rather than one (an address). */
  isMultiline?: boolean;
};

/** A value to hand over elsewhere (an address, a snippet, a hash) with a copy button. */
export function CopyField({ label, value, isMultiline = false }: CopyFieldProps) {
  const { t } = useI18n();
  const labelId = useId();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <Group gap="xs" wrap="wrap" align="stretch">
        <Code
          block={isMultiline}
          aria-labelledby={labelId}
          style={{
            flex: '1 1 220px',
            wordBreak: 'break-all',
            whiteSpace: isMultiline ? 'pre-wrap' : 'normal',
            display: 'flex',
            alignItems: 'center',
            padding: '6px 10px',
          }}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              miw={140}
              aria-label={`${copied ? t('common.copied') : t('common.copy')}: ${label}`}
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
