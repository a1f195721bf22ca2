import { Alert, Anchor, Code, Group, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { isApiError } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';

function ruleOf(error: unknown): string | null {
  if (!isApiError(error) || error.code !== 'rule_violated') {
    return null;
  }
  return typeof error.details.rule === 'string' ? error.details.rule : null;
}

function missingOf(error: unknown): string[] {
  if (!isApiError(error) || !Array.isArray(error.details.missing)) {
    return [];
  }
  return error.details.missing.map(String);
}

/**
 * A refused purpose: an incomplete operator profile links to its page, an incomplete consent
 * template lists what it lacks; anything else is an ordinary error.
 */
export function PurposeErrorAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  const rule = ruleOf(error);
  if (rule === 'operator_profile_incomplete') {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('purposes.profileIncompleteTitle')}
        role="alert"
      >
        <Text size="sm">{t('rule.operator_profile_incomplete')}</Text>
        <Anchor component={Link} to="/operator-profile" size="sm" fw={500} mt={6} display="block">
          {t('purposes.openOperatorProfile')}
        </Anchor>
      </Alert>
    );
  }
  if (rule === 'consent_template_incomplete') {
    const missing = missingOf(error);
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('purposes.templateIncompleteTitle')}
        role="alert"
      >
        <Text size="sm">{t('rule.consent_template_incomplete')}</Text>
        {missing.length > 0 && (
          <List size="sm" mt={6} spacing={2}>
            {missing.map((name) => (
              <List.Item key={name}>
                <Group gap={6} wrap="nowrap">
                  <Code>{`{{${name}}}`}</Code>
                  <Text size="sm" span>
                    {placeholderHint(t, name)}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Alert>
    );
  }
  return <ErrorAlert error={error} />;
}

export function placeholderHint(t: ReturnType<typeof useI18n>['t'], name: string): string {
  switch (name) {
    case 'operator':
    case 'purpose':
    case 'data':
    case 'processor':
    case 'actions':
    case 'term':
    case 'withdrawal':
    case 'recipients':
    case 'channels':
    case 'policy':
      return t(`placeholder.${name}`);
    default:
      return name;
  }
}
