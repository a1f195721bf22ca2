import { Select } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { api } from './api-client.ts';
import type { Me } from './api-types.ts';
import { useAuth, useMe } from './auth-context.tsx';

type OrgSwitcherProps = {
  onError: (error: unknown) => void;
};

export function OrgSwitcher({ onError }: OrgSwitcherProps) {
  const { t } = useI18n();
  const { acceptMe } = useAuth();
  const me = useMe();
  const [isSwitching, setIsSwitching] = useState(false);

  const data = me.memberships.map((membership) => ({
    value: membership.orgId,
    label: membership.orgName,
  }));

  const change = async (orgId: string | null) => {
    if (!orgId || orgId === me.currentOrgId) {
      return;
    }
    setIsSwitching(true);
    try {
      acceptMe(await api.post<Me>('/api/v1/auth/switch-org', { orgId }));
    } catch (error) {
      onError(error);
    } finally {
      setIsSwitching(false);
    }
  };

  return (
    <Select
      aria-label={t('shell.organization')}
      placeholder={t('shell.noOrganization')}
      data={data}
      value={me.currentOrgId}
      onChange={(value) => void change(value)}
      allowDeselect={false}
      disabled={isSwitching || data.length === 0}
      leftSection={<IconBuilding size={16} />}
      w={{ base: 180, sm: 300 }}
      size="sm"
      comboboxProps={{ withinPortal: true }}
    />
  );
}
