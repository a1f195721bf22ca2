import {
  ActionIcon,
  Badge,
  Button,
  Center,
  EmptyState,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { ApiToken, ItemList } from '../../app/api-types.ts';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ConfirmModal } from '../../ui/confirm-modal.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { CreateTokenModal } from './create-token-modal.tsx';

type TokenStatus = 'active' | 'revoked' | 'expired';

function tokenStatus(token: ApiToken, now: number): TokenStatus {
  if (token.revokedAt) {
    return 'revoked';
  }
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) {
    return 'expired';
  }
  return 'active';
}

const STATUS_COLOR: Record<TokenStatus, string> = {
  active: 'teal',
  revoked: 'gray',
  expired: 'orange',
};

export function TokensPage() {
  const { t, roleName, formatDate, formatDateTime } = useI18n();
  const query = useApiQuery<ItemList<ApiToken>>('/api/v1/tokens');
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [isCreateOpen, createModal] = useDisclosure(false);
  const [toRevoke, setToRevoke] = useState<ApiToken | null>(null);
  const [isRevokeOpen, revokeModal] = useDisclosure(false);

  useEffect(() => {
    if (query.data) {
      setTokens(query.data.items);
    }
  }, [query.data]);

  const statusLabel: Record<TokenStatus, string> = {
    active: t('tokens.statusActive'),
    revoked: t('tokens.statusRevoked'),
    expired: t('tokens.statusExpired'),
  };

  const revoke = async (token: ApiToken) => {
    await api.delete(`/api/v1/tokens/${encodeURIComponent(token.id)}`);
    const revokedAt = new Date().toISOString();
    setTokens((list) =>
      (list ?? []).map((item) => (item.id === token.id ? { ...item, revokedAt } : item)),
    );
  };

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (tokens === null) {
      return (
        <Center py={64}>
          <Loader aria-label={t('common.loading')} />
        </Center>
      );
    }
    if (tokens.length === 0) {
      return (
        <Paper withBorder radius="md" py={48}>
          <EmptyState
            icon={<IconKey size={28} />}
            withIndicatorBackground
            title={t('tokens.empty')}
          />
        </Paper>
      );
    }
    const now = Date.now();
    return (
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820} type="native">
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('tokens.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.columnName')}</Table.Th>
                <Table.Th>{t('tokens.columnRole')}</Table.Th>
                <Table.Th>{t('tokens.columnStatus')}</Table.Th>
                <Table.Th>{t('tokens.columnCreatedAt')}</Table.Th>
                <Table.Th>{t('tokens.columnLastUsedAt')}</Table.Th>
                <Table.Th>{t('tokens.columnExpiresAt')}</Table.Th>
                <Table.Th w={60}>
                  <VisuallyHidden>{t('tokens.columnActions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.map((token) => {
                const status = tokenStatus(token, now);
                return (
                  <Table.Tr key={token.id} c={status === 'active' ? undefined : 'dimmed'}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {token.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{roleName(token.role)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLOR[status]} radius="sm" tt="none">
                        {statusLabel[status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(token.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {token.lastUsedAt
                          ? formatDateTime(token.lastUsedAt)
                          : t('tokens.neverUsed')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {status !== 'revoked' && (
                        <Tooltip label={t('tokens.revoke')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('tokens.revokeLabel', { name: token.name })}
                            onClick={() => {
                              setToRevoke(token);
                              revokeModal.open();
                            }}
                          >
                            <IconTrash size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    );
  };

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        description={t('tokens.description')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
            {t('tokens.create')}
          </Button>
        }
      />
      <Stack gap="md">{renderBody()}</Stack>

      <CreateTokenModal
        opened={isCreateOpen}
        onClose={createModal.close}
        onCreated={(token) => setTokens((list) => [token, ...(list ?? [])])}
      />
      <ConfirmModal
        opened={isRevokeOpen}
        title={t('tokens.revokeTitle')}
        message={toRevoke ? t('tokens.revokeConfirm', { name: toRevoke.name }) : ''}
        confirmLabel={t('tokens.revoke')}
        onConfirm={() => (toRevoke ? revoke(toRevoke) : Promise.resolve())}
        onClose={revokeModal.close}
      />
    </>
  );
}
