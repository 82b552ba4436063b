import { useState } from 'react';
import { Badge, Button, Code, Group, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ListStatusRow } from '../../components/list-parts.tsx';
import { AdminPageHeader } from './admin-layout.tsx';
import { localized, useDesks, useStaffUsers, type Desk } from './catalog-api.ts';
import { DeskMembersModal, DeskModal } from './desk-modals.tsx';
import { ListTable } from '../../components/list-table.tsx';

/** A plain query in the shape ListStatusRow expects of a paginated one. */
export const unpaged = (query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown }) => ({
  isPending: query.isPending,
  isError: query.isError,
  error: query.error,
  refetch: query.refetch,
  hasNextPage: false,
  isFetchingNextPage: false,
  fetchNextPage: () => undefined,
});

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? (
    <Badge color="green" variant="light">
      {t('catalog.active')}
    </Badge>
  ) : (
    <Badge color="gray" variant="filled">
      {t('catalog.inactive')}
    </Badge>
  );
}

function MemberList({ desk }: { desk: Desk }) {
  const { t } = useTranslation();
  const staff = useStaffUsers();
  if (desk.memberIds.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        {t('catalog.desks.noMember')}
      </Text>
    );
  }
  const names = new Map((staff.data ?? []).map((user) => [user.id, user.name]));
  return (
    <Group gap={4}>
      {desk.memberIds.map((id) => (
        <Badge key={id} variant="light" color="gray" tt="none" fw={500}>
          {names.get(id) ?? '…'}
        </Badge>
      ))}
    </Group>
  );
}

export function DesksPage() {
  const { t, i18n } = useTranslation();
  const query = useDesks();
  const desks = query.data ?? [];
  const [editing, setEditing] = useState<{ desk: Desk | null } | null>(null);
  const [members, setMembers] = useState<Desk | null>(null);

  return (
    <>
      <AdminPageHeader
        title={t('catalog.desks.title')}
        description={t('catalog.desks.description')}
        action={
          <Button onClick={() => setEditing({ desk: null })} data-testid="desk-create">
            {t('catalog.desks.create')}
          </Button>
        }
      />
      <Paper withBorder p="md">
        <ListTable verticalSpacing="sm" highlightOnHover data-testid="desks-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>{t('catalog.fields.positionShort')}</Table.Th>
              <Table.Th>{t('catalog.desks.keyPrefix')}</Table.Th>
              <Table.Th>{t('catalog.fields.name')}</Table.Th>
              <Table.Th>{t('catalog.desks.members')}</Table.Th>
              <Table.Th>{t('catalog.status')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow query={unpaged(query)} colSpan={6} count={desks.length} empty={t('catalog.desks.empty')} />
            {desks.map((desk) => {
              const name = localized(desk.names, i18n.language);
              return (
                <Table.Tr key={desk.id} data-testid="desk-row" data-slug={desk.slug} data-active={desk.active ? 'true' : 'false'}>
                  <Table.Td fz="sm" c="dimmed">
                    {desk.position}
                  </Table.Td>
                  <Table.Td>
                    <Code fz="sm" fw={600}>
                      {desk.keyPrefix}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm" fw={500}>
                      {name}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {desk.slug}
                    </Text>
                    {desk.inboundAddress && (
                      <Text fz="xs" c="dimmed" style={{ wordBreak: 'break-all' }} data-testid="desk-inbound-address-shown">
                        {desk.inboundAddress}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td maw={360}>
                    <MemberList desk={desk} />
                  </Table.Td>
                  <Table.Td>
                    <ActiveBadge active={desk.active} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => setMembers(desk)}
                        aria-label={t('catalog.desks.membersLabel', { name })}
                        data-testid="desk-members"
                      >
                        {t('catalog.desks.editMembers')}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => setEditing({ desk })}
                        aria-label={t('catalog.editLabel', { name })}
                        data-testid="desk-edit"
                      >
                        {t('common.edit')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </ListTable>
      </Paper>
      <DeskModal opened={editing !== null} desk={editing?.desk ?? null} onClose={() => setEditing(null)} />
      <DeskMembersModal desk={members} onClose={() => setMembers(null)} />
    </>
  );
}
