import { useState } from 'react';
import { Anchor, Group, Paper, SegmentedControl, Table, Tabs, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListStatusRow, LoadMore } from '../../components/list-parts.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { CriticalityBadge, StatusBadge } from './labels.tsx';
import { useTicketList, type ListScope, type ListState, type TicketSummary } from './requests-api.ts';
import classes from './requests.module.css';
import { ListTable } from '../../components/list-table.tsx';

function RequestsTable({ scope, state, deskId, showReporter }: { scope: ListScope; state: ListState; deskId?: string; showReporter: boolean }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const query = useTicketList(scope, state, deskId);
  const items: TicketSummary[] = query.data?.pages.flatMap((page) => page.items) ?? [];
  const columns = showReporter ? 6 : 5;
  return (
    <>
      <ListTable highlightOnHover verticalSpacing={6} className={classes.listTable} data-testid={`requests-table-${scope}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={92}>{t('requests.list.key')}</Table.Th>
            <Table.Th>{t('requests.list.summary')}</Table.Th>
            <Table.Th w={190}>{t('requests.list.status')}</Table.Th>
            <Table.Th w={130}>{t('requests.list.criticality')}</Table.Th>
            {showReporter && <Table.Th w={160}>{t('requests.list.reporter')}</Table.Th>}
            <Table.Th w={150}>{t('requests.list.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <ListStatusRow
            query={query}
            colSpan={columns}
            count={items.length}
            empty={state === 'open' ? t('requests.list.emptyOpen') : t('requests.list.empty')}
          />
          {items.map((item) => (
            <Table.Tr key={item.id} data-testid="request-row" data-key={item.key} data-status={item.status}>
              <Table.Td>
                <Anchor component={Link} to={`/requests/${item.key}`} className={classes.keyLink}>
                  {item.key}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/requests/${item.key}`} c="var(--mantine-color-text)" fz="sm" fw={500} lineClamp={1}>
                  {item.summary}
                </Anchor>
                <Text fz="xs" c="dimmed" lineClamp={1}>
                  {item.desk.name} · {item.requestType.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={item.status} label={item.statusLabel} />
              </Table.Td>
              <Table.Td>
                <CriticalityBadge criticality={item.criticality} />
              </Table.Td>
              {showReporter && (
                <Table.Td>
                  <Text fz="sm" truncate>
                    {item.reporter.name}
                  </Text>
                </Table.Td>
              )}
              <Table.Td>
                {/* The exact time on hover, without a tooltip library on the home. */}
                <Text component="time" dateTime={item.updatedAt} title={format.dateTime(item.updatedAt)} fz="xs" c="dimmed">
                  {format.date(item.updatedAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <LoadMore query={query} count={items.length} />
    </>
  );
}

/** A customer's requests: theirs, or their organization's; open or all; optionally of one desk. */
export function CustomerRequestList({ deskId, title }: { deskId?: string; title?: string }) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'mine' | 'organization'>('mine');
  const [state, setState] = useState<ListState>('open');
  return (
    <Paper withBorder p="md" data-testid="customer-requests">
      <Tabs value={scope} onChange={(value) => value && setScope(value as 'mine' | 'organization')} keepMounted={false}>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm" mb="sm">
          <Group gap="lg" align="flex-end">
            {title && (
              <Text fw={650} fz="lg" pb={6}>
                {title}
              </Text>
            )}
            <Tabs.List>
              <Tabs.Tab value="mine" data-testid="requests-tab-mine">
                {t('requests.list.mine')}
              </Tabs.Tab>
              <Tabs.Tab value="organization" data-testid="requests-tab-organization">
                {t('requests.list.organization')}
              </Tabs.Tab>
            </Tabs.List>
          </Group>
          <SegmentedControl
            size="xs"
            value={state}
            onChange={(value) => setState(value as ListState)}
            aria-label={t('requests.list.stateLabel')}
            data={[
              { value: 'open', label: t('requests.list.stateOpen') },
              { value: 'all', label: t('requests.list.stateAll') },
            ]}
            data-testid="requests-state"
          />
        </Group>
        <Tabs.Panel value="mine">
          <RequestsTable scope="mine" state={state} deskId={deskId} showReporter={false} />
        </Tabs.Panel>
        <Tabs.Panel value="organization">
          <RequestsTable scope="organization" state={state} deskId={deskId} showReporter />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
