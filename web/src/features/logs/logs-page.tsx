import { Paper, Tabs } from '@mantine/core';
import { IconHistory, IconShieldCheck } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { AccessLogTab } from './access-log-tab.tsx';
import { AuditLogTab } from './audit-log-tab.tsx';

type LogTab = 'audit' | 'access';

export function LogsPage() {
  const { t } = useI18n();
  // The tab is in the address, so a link can open the access log directly.
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: LogTab = searchParams.get('tab') === 'access' ? 'access' : 'audit';

  return (
    <>
      <PageHeader title={t('logs.title')} description={t('logs.description')} />
      <Paper withBorder radius="md" p="md">
        <Tabs
          value={tab}
          onChange={(value) => setSearchParams(value === 'access' ? { tab: 'access' } : {})}
          keepMounted={false}
        >
          <Tabs.List mb="md">
            <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />}>
              {t('logs.tabAudit')}
            </Tabs.Tab>
            <Tabs.Tab value="access" leftSection={<IconShieldCheck size={16} />}>
              {t('logs.tabAccess')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="audit">
            <AuditLogTab />
          </Tabs.Panel>
          <Tabs.Panel value="access">
            <AccessLogTab />
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </>
  );
}
