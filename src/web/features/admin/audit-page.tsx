import { Code, Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { auditActionKey } from '#shared/audit.ts';
import { i18n } from '../../i18n/index.ts';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { adminKeys, useAdminList, type AuditEntry } from './admin-api.ts';
import { ListTable } from '../../components/list-table.tsx';

/** The action, and what it is about, in words (every action the server records has a label: audit-labels.test.ts); a code the interface does not know yet is shown as is. */
function label(group: 'actions' | 'targetTypes', code: string): string {
  const key = `audit.${group}.${auditActionKey(code)}`;
  return i18n.exists(key) ? (i18n.t as unknown as (k: string) => string)(key) : code;
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {entries.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join('\n')}
    </Code>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const query = useAdminList<AuditEntry>(adminKeys.audit, '/admin/audit');
  const entries = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <AdminPageHeader title={t('audit.title')} description={t('audit.description')} />
      <Paper withBorder p="md">
        <ListTable verticalSpacing="sm" data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>{t('audit.at')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.target')}</Table.Th>
              <Table.Th>{t('audit.details')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow query={query} colSpan={5} count={entries.length} empty={t('audit.empty')} />
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid="audit-row" data-action={entry.action} style={{ verticalAlign: 'top' }}>
                <Table.Td fz="sm">{format.dateTime(entry.at)}</Table.Td>
                <Table.Td>
                  {entry.actor ? (
                    <>
                      <Text fz="sm">{entry.actor.name}</Text>
                      <Text fz="xs" c="dimmed">
                        {entry.actor.email}
                      </Text>
                    </>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      {t('audit.system')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" fw={500}>
                    {label('actions', entry.action)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text fz="sm">{label('targetTypes', entry.targetType)}</Text>
                  <Text fz="xs" c="dimmed" ff="monospace">
                    {entry.targetId}
                  </Text>
                </Table.Td>
                <Table.Td maw={360}>
                  <Details details={entry.details} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={entries.length} />
      </Paper>
    </>
  );
}
