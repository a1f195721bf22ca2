import {
  ActionIcon,
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../app/api-client.ts';
import type { ItemList, Member } from '../../app/api-types.ts';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useApiQuery } from '../../app/use-api-query.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ConfirmModal } from '../../ui/confirm-modal.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { roleOptions } from '../../ui/role-options.ts';
import { AddMemberModal } from './add-member-modal.tsx';

export function MembersPage() {
  const i18n = useI18n();
  const { t, roleName, formatDate } = i18n;
  const me = useMe();
  const canManage = hasPermission(me, 'members.manage');
  const query = useApiQuery<ItemList<Member>>('/api/v1/members');
  const [members, setMembers] = useState<Member[] | null>(null);
  const [isAddOpen, addModal] = useDisclosure(false);
  // Kept after the dialog closes, so its text does not vanish during the closing animation.
  const [toRemove, setToRemove] = useState<Member | null>(null);
  const [isRemoveOpen, removeModal] = useDisclosure(false);
  const [changingUserId, setChangingUserId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  useEffect(() => {
    if (query.data) {
      setMembers(query.data.items);
    }
  }, [query.data]);

  const orgName =
    me.memberships.find((membership) => membership.orgId === me.currentOrgId)?.orgName ?? '';

  const changeRole = async (member: Member, role: string | null) => {
    if (!role || role === member.role) {
      return;
    }
    setChangingUserId(member.userId);
    setActionError(null);
    try {
      const updated = await api.patch<Member>(
        `/api/v1/members/${encodeURIComponent(member.userId)}`,
        { role },
      );
      setMembers((list) =>
        (list ?? []).map((item) => (item.userId === updated.userId ? updated : item)),
      );
    } catch (error) {
      setActionError(error);
    } finally {
      setChangingUserId(null);
    }
  };

  const remove = async (member: Member) => {
    await api.delete(`/api/v1/members/${encodeURIComponent(member.userId)}`);
    setMembers((list) => (list ?? []).filter((item) => item.userId !== member.userId));
  };

  const renderBody = () => {
    if (query.error !== null) {
      return <ErrorAlert error={query.error} onRetry={query.reload} />;
    }
    if (members === null) {
      return (
        <Center py={64}>
          <Loader aria-label={t('common.loading')} />
        </Center>
      );
    }
    if (members.length === 0) {
      return (
        <Paper withBorder radius="md" py={48}>
          <EmptyState
            icon={<IconUsers size={28} />}
            withIndicatorBackground
            title={t('members.empty')}
          />
        </Paper>
      );
    }
    return (
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={720} type="native">
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('members.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('members.columnName')}</Table.Th>
                <Table.Th>{t('members.columnEmail')}</Table.Th>
                <Table.Th>{t('members.columnRole')}</Table.Th>
                <Table.Th>{t('members.columnCreatedAt')}</Table.Th>
                {canManage && (
                  <Table.Th w={80}>
                    <VisuallyHidden>{t('members.columnActions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((member) => {
                const isSelf = member.userId === me.user.id;
                // Only an owner may change an owner's role; own role is not changed here.
                const canChangeRole =
                  canManage && !isSelf && (member.role !== 'owner' || me.role === 'owner');
                const canRemove = canChangeRole;
                return (
                  <Table.Tr key={member.userId}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {member.name}
                        </Text>
                        {isSelf && (
                          <Badge size="sm" variant="light" color="gray" tt="none">
                            {t('members.you')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{member.email}</Text>
                    </Table.Td>
                    <Table.Td>
                      {canChangeRole ? (
                        <Select
                          size="xs"
                          w={220}
                          aria-label={t('members.roleOf', { name: member.name })}
                          data={roleOptions(i18n, me.role)}
                          value={member.role}
                          onChange={(value) => void changeRole(member, value)}
                          allowDeselect={false}
                          disabled={changingUserId === member.userId}
                          comboboxProps={{ withinPortal: true }}
                        />
                      ) : (
                        <Badge variant="light" radius="sm" tt="none">
                          {roleName(member.role)}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(member.createdAt)}
                      </Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        {canRemove && (
                          <Tooltip label={t('members.remove')}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('members.removeLabel', { name: member.name })}
                              onClick={() => {
                                setToRemove(member);
                                removeModal.open();
                              }}
                            >
                              <IconTrash size={18} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    )}
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
        title={t('members.title')}
        description={t('members.description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={addModal.open}>
              {t('members.add')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        {actionError !== null && (
          <ErrorAlert error={actionError} onClose={() => setActionError(null)} />
        )}
        {renderBody()}
      </Stack>

      {canManage && (
        <AddMemberModal
          opened={isAddOpen}
          onClose={addModal.close}
          onAdded={(member) => setMembers((list) => [...(list ?? []), member])}
        />
      )}
      <ConfirmModal
        opened={isRemoveOpen}
        title={t('members.removeTitle')}
        message={
          toRemove
            ? t('members.removeConfirm', {
                name: toRemove.name,
                email: toRemove.email,
                org: orgName,
              })
            : ''
        }
        confirmLabel={t('members.remove')}
        onConfirm={() => (toRemove ? remove(toRemove) : Promise.resolve())}
        onClose={removeModal.close}
      />
    </>
  );
}
