import { useState } from 'react';
import { Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '#shared/domain.ts';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { i18n } from '../../i18n/index.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useMe } from '../session/session.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { adminApi, adminKeys, useAdminList, type Invitation, type UserSummary } from './admin-api.ts';
import { InviteModal } from './invite-modal.tsx';
import { OrganizationSelect } from './organization-select.tsx';
import { ListTable } from '../../components/list-table.tsx';

type UserChange = { role?: Role; organizationId?: string | null; active?: boolean };

function useUpdateUser(user: UserSummary) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: UserChange) => adminApi.updateUser(user.id, change),
    onSuccess: async (_, change) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      if (change.organizationId !== undefined) await queryClient.invalidateQueries({ queryKey: adminKeys.organizations });
      const message =
        change.active === false
          ? i18n.t('users.deactivated', { name: user.name })
          : change.active === true
            ? i18n.t('users.reactivated', { name: user.name })
            : i18n.t('users.updated', { name: user.name });
      notifications.show({ color: 'green', message });
    },
    onError: (error) => notifications.show({ color: 'red', title: i18n.t('users.updateFailed', { name: user.name }), message: errorMessage(error) }),
  });
}

function UserRow({ user, isSelf }: { user: UserSummary; isSelf: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateUser(user);
  const [confirming, setConfirming] = useState(false);
  const pending = update.isPending ? update.variables : undefined;
  const role = pending?.role ?? user.role;
  const organizationId = pending?.organizationId !== undefined ? pending.organizationId : (user.organization?.id ?? null);
  const selfHint = isSelf ? t('users.selfHint') : undefined;

  return (
    <Table.Tr data-testid="user-row" data-email={user.email} data-active={user.active ? 'true' : 'false'}>
      <Table.Td>
        <Text fz="sm" fw={500}>
          {user.name}
          {isSelf && (
            <Text span c="dimmed" fz="xs">
              {' '}
              ({t('users.you')})
            </Text>
          )}
        </Text>
        <Text fz="xs" c="dimmed">
          {user.email}
        </Text>
      </Table.Td>
      <Table.Td miw={200}>
        {role === 'customer' ? (
          <OrganizationSelect
            aria-label={t('users.organizationOf', { name: user.name })}
            placeholder={t('users.noOrganization')}
            size="xs"
            value={organizationId}
            current={user.organization}
            onChange={(organization) => update.mutate({ organizationId: organization?.id ?? null })}
            disabled={update.isPending}
            data-testid="user-organization"
          />
        ) : (
          // Agents and administrators belong to no organization.
          <Text fz="sm" c="dimmed" data-testid="user-organization-none">
            {t('users.staffOrganization')}
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={150}>
        <Tooltip label={selfHint} disabled={!selfHint}>
          <Select<Role>
            aria-label={t('users.roleOf', { name: user.name })}
            size="xs"
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            allowDeselect={false}
            onChange={(value) => value && value !== user.role && update.mutate({ role: value })}
            disabled={isSelf || update.isPending}
            data-testid="user-role"
          />
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {user.active ? (
            <Badge color="green" variant="light">
              {t('users.active')}
            </Badge>
          ) : (
            <Badge color="gray" variant="filled">
              {t('users.inactive')}
            </Badge>
          )}
          {user.isService ? (
            <Badge color="violet" variant="light">
              {t('apiTokens.kinds.service')}
            </Badge>
          ) : (
            !user.emailVerified && (
              <Badge color="yellow" variant="light">
                {t('users.unverified')}
              </Badge>
            )
          )}
        </Group>
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip label={selfHint} disabled={!selfHint}>
          <Button
            size="xs"
            variant={user.active ? 'subtle' : 'light'}
            color={user.active ? 'red' : 'green'}
            onClick={() => setConfirming(true)}
            disabled={isSelf}
            loading={update.isPending && update.variables?.active !== undefined}
            data-testid={user.active ? 'user-deactivate' : 'user-reactivate'}
            aria-label={user.active ? t('users.deactivateLabel', { name: user.name }) : t('users.reactivateLabel', { name: user.name })}
          >
            {user.active ? t('users.deactivate') : t('users.reactivate')}
          </Button>
        </Tooltip>
        <Modal
          opened={confirming}
          onClose={() => setConfirming(false)}
          title={user.active ? t('users.deactivateTitle', { name: user.name }) : t('users.reactivateTitle', { name: user.name })}
        >
          <Stack gap="md">
            <Text fz="sm">{user.active ? t('users.deactivateText') : t('users.reactivateText')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color={user.active ? 'red' : 'green'}
                data-testid="confirm-active-change"
                onClick={() => {
                  setConfirming(false);
                  update.mutate({ active: !user.active });
                }}
              >
                {user.active ? t('users.deactivate') : t('users.reactivate')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

function UsersTab() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<Role | null>(null);
  const [organization, setOrganization] = useState<{ id: string; name: string } | null>(null);
  const query = useAdminList<UserSummary>(adminKeys.users, '/admin/users', {
    q: q || undefined,
    role: role ?? undefined,
    organizationId: organization?.id,
  });
  const users = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(q || role || organization);

  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md" maw={960}>
        <TextInput
          label={t('common.search')}
          placeholder={t('users.searchPlaceholder')}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          data-testid="user-search"
        />
        <Select<Role>
          label={t('users.role')}
          placeholder={t('users.allRoles')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={setRole}
          clearable
          data-testid="user-role-filter"
        />
        <OrganizationSelect
          label={t('users.organization')}
          placeholder={t('users.allOrganizations')}
          value={organization?.id ?? null}
          current={organization}
          onChange={setOrganization}
          data-testid="user-organization-filter"
        />
      </SimpleGrid>
      <ListTable verticalSpacing="sm" data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.user')}</Table.Th>
            <Table.Th>{t('users.organization')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <ListStatusRow query={query} colSpan={5} count={users.length} empty={filtered ? t('common.noMatch') : t('users.empty')} />
          {users.map((user) => (
            <UserRow key={user.id} user={user} isSelf={user.id === me?.id} />
          ))}
        </Table.Tbody>
      </ListTable>
      <LoadMore query={query} count={users.length} />
    </Paper>
  );
}

function invitationState(invitation: Invitation): 'accepted' | 'expired' | 'pending' {
  if (invitation.acceptedAt) return 'accepted';
  return new Date(invitation.expiresAt).getTime() < Date.now() ? 'expired' : 'pending';
}

function InvitationsTab() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const query = useAdminList<Invitation>(adminKeys.invitations, '/admin/invitations');
  const invitations = query.data?.pages.flatMap((page) => page.items) ?? [];
  const colors = { accepted: 'green', expired: 'gray', pending: 'blue' } as const;
  return (
    <Paper withBorder p="md">
      <ListTable verticalSpacing="sm" data-testid="invitations-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('fields.email')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.organization')}</Table.Th>
            <Table.Th>{t('users.invitedAt')}</Table.Th>
            <Table.Th>{t('users.expiresAt')}</Table.Th>
            <Table.Th>{t('users.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <ListStatusRow query={query} colSpan={6} count={invitations.length} empty={t('users.noInvitations')} />
          {invitations.map((invitation) => {
            const state = invitationState(invitation);
            return (
              <Table.Tr key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                <Table.Td fz="sm">{invitation.email}</Table.Td>
                <Table.Td fz="sm">{t(`roles.${invitation.role}`)}</Table.Td>
                <Table.Td fz="sm">{invitation.organization?.name ?? '—'}</Table.Td>
                <Table.Td fz="sm">{format.dateTime(invitation.createdAt)}</Table.Td>
                <Table.Td fz="sm">{format.dateTime(invitation.expiresAt)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={colors[state]}>
                    {t(`users.invitationStates.${state}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
      <LoadMore query={query} count={invitations.length} />
    </Paper>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const [inviting, setInviting] = useState(false);
  const [tab, setTab] = useState<string | null>('users');
  return (
    <>
      <AdminPageHeader
        title={t('users.title')}
        description={t('users.description')}
        action={
          <Button onClick={() => setInviting(true)} data-testid="user-invite">
            {t('users.invite')}
          </Button>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="users" data-testid="tab-users">
            {t('users.tabUsers')}
          </Tabs.Tab>
          <Tabs.Tab value="invitations" data-testid="tab-invitations">
            {t('users.tabInvitations')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users">
          <UsersTab />
        </Tabs.Panel>
        <Tabs.Panel value="invitations">
          <InvitationsTab />
        </Tabs.Panel>
      </Tabs>
      <InviteModal opened={inviting} onClose={() => setInviting(false)} onInvited={() => setTab('invitations')} />
    </>
  );
}
