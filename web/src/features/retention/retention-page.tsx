import { Button, Tabs } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconCalendarTime,
  IconFileCertificate,
  IconHistory,
  IconListCheck,
  IconLock,
  IconPlayerPlay,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { hasPermission, useMe } from '../../app/auth-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { ActsTab } from './acts-tab.tsx';
import { HoldsTab } from './holds-tab.tsx';
import { RunModal } from './run-modal.tsx';
import { RunsTab } from './runs-tab.tsx';
import { SettingsTab } from './settings-tab.tsx';
import { TasksTab } from './tasks-tab.tsx';

const TABS = ['tasks', 'acts', 'runs', 'settings', 'holds'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return value !== null && (TABS as readonly string[]).includes(value);
}

/** Retention and destruction: the queue, acts, runs, per-purpose settings and legal holds. */
export function RetentionPage() {
  const { t } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me, 'retention.manage');
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'tasks';
  const [isRunOpen, runModal] = useDisclosure(false);
  // Bumped after a run so every tab reloads what the run changed.
  const [generation, setGeneration] = useState(0);

  return (
    <>
      <PageHeader
        title={t('retention.title')}
        description={t('retention.description')}
        actions={
          canManage && (
            <Button leftSection={<IconPlayerPlay size={16} />} onClick={runModal.open}>
              {t('retention.runNow')}
            </Button>
          )
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => setSearchParams(value && value !== 'tasks' ? { tab: value } : {})}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="tasks" leftSection={<IconListCheck size={16} />}>
            {t('retention.tabTasks')}
          </Tabs.Tab>
          <Tabs.Tab value="acts" leftSection={<IconFileCertificate size={16} />}>
            {t('retention.tabActs')}
          </Tabs.Tab>
          <Tabs.Tab value="runs" leftSection={<IconHistory size={16} />}>
            {t('retention.tabRuns')}
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconCalendarTime size={16} />}>
            {t('retention.tabSettings')}
          </Tabs.Tab>
          <Tabs.Tab value="holds" leftSection={<IconLock size={16} />}>
            {t('retention.tabHolds')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="tasks">
          <TasksTab key={generation} />
        </Tabs.Panel>
        <Tabs.Panel value="acts">
          <ActsTab key={generation} />
        </Tabs.Panel>
        <Tabs.Panel value="runs">
          <RunsTab key={generation} />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <SettingsTab canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="holds">
          <HoldsTab canManage={canManage} />
        </Tabs.Panel>
      </Tabs>
      <RunModal
        opened={isRunOpen}
        onClose={runModal.close}
        onExecuted={() => setGeneration((value) => value + 1)}
      />
    </>
  );
}
