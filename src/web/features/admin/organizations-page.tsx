import { useState } from 'react';
import { Badge, Button, Group, Paper, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { useFileSize } from '../../lib/file-size.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { adminKeys, useAdminList, type Organization } from './admin-api.ts';
import { OrganizationModal } from './organization-modal.tsx';
import { FlexContractModal, OwnRequestsSwitch, TwoFactorRequiredSwitch } from './organization-settings.tsx';
import { ListTable } from '../../components/list-table.tsx';

export function OrganizationsPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const fileSize = useFileSize();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = useAdminList<Organization>(adminKeys.organizations, '/admin/organizations', { q: q || undefined });
  const organizations = query.data?.pages.flatMap((page) => page.items) ?? [];
  const [editing, setEditing] = useState<{ organization: Organization | null } | null>(null);
  const [flex, setFlex] = useState<Organization | null>(null);

  return (
    <>
      <AdminPageHeader
        title={t('organizations.title')}
        description={t('organizations.description')}
        action={
          <Button onClick={() => setEditing({ organization: null })} data-testid="organization-create">
            {t('organizations.create')}
          </Button>
        }
      />
      <Paper withBorder p="md">
        <TextInput
          label={t('common.search')}
          placeholder={t('organizations.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          maw={420}
          mb="md"
          type="search"
          data-testid="organization-search"
        />
        <ListTable highlightOnHover verticalSpacing="sm" data-testid="organizations-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('organizations.name')}</Table.Th>
              <Table.Th>{t('organizations.domains')}</Table.Th>
              <Table.Th ta="right">{t('organizations.users')}</Table.Th>
              <Table.Th>{t('organizations.storage')}</Table.Th>
              <Table.Th>{t('common.createdAt')}</Table.Th>
              <Table.Th>{t('catalog.organizations.ownRequests')}</Table.Th>
              <Table.Th>{t('twoFactor.admin.organizationColumn')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow query={query} colSpan={8} count={organizations.length} empty={q ? t('common.noMatch') : t('organizations.empty')} />
            {organizations.map((organization) => (
              <Table.Tr key={organization.id} data-testid="organization-row" data-name={organization.name}>
                <Table.Td>
                  <Text fw={500} fz="sm">
                    {organization.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {organization.domains.length === 0 ? (
                      <Text fz="sm" c="dimmed">
                        {t('organizations.noDomain')}
                      </Text>
                    ) : (
                      organization.domains.map((domain) => (
                        <Badge key={domain} variant="light" color="gray" tt="none" fw={500}>
                          {domain}
                        </Badge>
                      ))
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{organization.userCount}</Table.Td>
                <Table.Td>
                  <Text fz="sm" data-testid="organization-storage">
                    {t('organizations.storageOf', {
                      used: fileSize(organization.storage.usedBytes),
                      quota: fileSize(organization.storage.effectiveQuotaMb * 1024 * 1024),
                    })}
                  </Text>
                  {organization.storage.quotaMb === null && (
                    <Text fz="xs" c="dimmed">
                      {t('organizations.storageDefault')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" c="dimmed">
                    {format.date(organization.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <OwnRequestsSwitch organization={organization} />
                </Table.Td>
                <Table.Td>
                  <TwoFactorRequiredSwitch organization={organization} />
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => setFlex(organization)}
                    aria-label={t('catalog.flex.openLabel', { name: organization.name })}
                    data-testid="organization-flex"
                  >
                    {t('catalog.flex.open')}
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => setEditing({ organization })}
                    aria-label={t('organizations.editLabel', { name: organization.name })}
                    data-testid="organization-edit"
                  >
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={organizations.length} />
      </Paper>
      <FlexContractModal organization={flex} onClose={() => setFlex(null)} />
      <OrganizationModal opened={editing !== null} organization={editing?.organization ?? null} onClose={() => setEditing(null)} />
    </>
  );
}
