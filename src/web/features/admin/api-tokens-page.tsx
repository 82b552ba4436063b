import { useState } from 'react';
import { Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SERVICE_ROLES, type ApiTokenKind } from '#shared/api-tokens-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ListStatusRow, LoadMore } from '../../components/list-parts.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { required } from '../../lib/validation.ts';
import { apiTokenKeys, apiTokensApi, useTokenList, type CreatedApiToken, type ServiceUser } from '../api-tokens/api-tokens-api.ts';
import { CreateTokenModal, SecretModal, TokenHead, TokenRow } from '../api-tokens/token-parts.tsx';
import { AdminPageHeader } from './admin-layout.tsx';

type ServiceRole = (typeof SERVICE_ROLES)[number];

function NewServiceUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { name: '', role: 'agent' as ServiceRole }, validate: { name: required } });
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('serviceAccounts.newTitle')}>
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            const created = await apiTokensApi.createServiceUser({ name: values.name.trim(), role: values.role });
            await queryClient.invalidateQueries({ queryKey: apiTokenKeys.serviceUsers });
            notifications.show({ color: 'green', message: i18n.t('serviceAccounts.created', { name: created.name }) });
            close();
          } catch (e) {
            setError(applyApiError(form, e));
          }
        })}
      >
        <Stack gap="md">
          <ErrorAlert message={error} />
          <Text fz="sm" c="dimmed">
            {t('serviceAccounts.newText')}
          </Text>
          <TextInput label={t('fields.name')} required data-testid="service-name" {...form.getInputProps('name')} />
          <Select<ServiceRole>
            label={t('users.role')}
            data={SERVICE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            allowDeselect={false}
            data-testid="service-role"
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="service-create-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ServiceAccounts({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: apiTokenKeys.serviceUsers, queryFn: ({ signal }) => apiTokensApi.serviceUsers(signal) });
  const [tokenFor, setTokenFor] = useState<ServiceUser | null>(null);
  const users = query.data?.items ?? [];
  const listQuery = { ...query, hasNextPage: false, isFetchingNextPage: false, fetchNextPage: () => undefined };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="service-accounts-title">
      <Title order={2} fz="lg" id="service-accounts-title" mb={4}>
        {t('serviceAccounts.title')}
      </Title>
      <Text fz="sm" c="dimmed" mb="md" maw={720}>
        {t('serviceAccounts.text')}
      </Text>
      <ListTable verticalSpacing="sm" data-testid="service-accounts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('fields.name')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.status')}</Table.Th>
            <Table.Th>{t('serviceAccounts.activeTokens')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <ListStatusRow query={listQuery} colSpan={5} count={users.length} empty={t('serviceAccounts.empty')} />
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid="service-account-row">
              <Table.Td fz="sm" fw={500}>
                {user.name}
              </Table.Td>
              <Table.Td fz="sm">{t(`roles.${user.role}`)}</Table.Td>
              <Table.Td>
                {user.active ? (
                  <Badge color="green" variant="light">
                    {t('users.active')}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="filled">
                    {t('users.inactive')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td fz="sm">{user.activeTokens}</Table.Td>
              <Table.Td ta="right">
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => setTokenFor(user)}
                  disabled={!user.active}
                  aria-label={t('serviceAccounts.newTokenFor', { name: user.name })}
                  data-testid="service-new-token"
                >
                  {t('apiTokens.new')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <CreateTokenModal
        opened={tokenFor !== null}
        onClose={() => setTokenFor(null)}
        title={t('serviceAccounts.newTokenFor', { name: tokenFor?.name ?? '' })}
        adminScope={tokenFor?.role === 'admin'}
        create={(body) => apiTokensApi.createServiceToken(tokenFor!.id, body)}
        onCreated={(created) => {
          setTokenFor(null);
          void queryClient.invalidateQueries({ queryKey: apiTokenKeys.serviceUsers });
          onCreated(created);
        }}
      />
    </Paper>
  );
}

function AllTokens() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ApiTokenKind | null>(null);
  const [status, setStatus] = useState<'active' | 'expired' | 'revoked' | null>('active');
  const query = useTokenList(apiTokenKeys.all, '/admin/api-tokens', { kind: kind ?? undefined, status: status ?? undefined });
  const tokens = query.data?.pages.flatMap((page) => page.items) ?? [];
  const revoke = useMutation({
    mutationFn: (id: string) => apiTokensApi.revoke(id),
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
      notifications.show({ color: 'green', message: i18n.t('apiTokens.revoked', { name: token.name }) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="all-tokens-title">
      <Title order={2} fz="lg" id="all-tokens-title" mb="md">
        {t('serviceAccounts.allTokens')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md" maw={640}>
        <Select<ApiTokenKind>
          label={t('serviceAccounts.kind')}
          placeholder={t('serviceAccounts.allKinds')}
          data={(['personal', 'service'] as const).map((k) => ({ value: k, label: t(`apiTokens.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          clearable
        />
        <Select<'active' | 'expired' | 'revoked'>
          label={t('apiTokens.status')}
          placeholder={t('serviceAccounts.allStatuses')}
          data={(['active', 'expired', 'revoked'] as const).map((s) => ({ value: s, label: t(`apiTokens.statuses.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
        />
      </SimpleGrid>
      <ListTable verticalSpacing="sm" data-testid="all-tokens-table">
        <TokenHead showOwner />
        <Table.Tbody>
          <ListStatusRow query={query} colSpan={7} count={tokens.length} empty={t('apiTokens.empty')} />
          {tokens.map((token) => (
            <TokenRow
              key={token.id}
              token={token}
              showOwner
              revoke={() => revoke.mutate(token.id)}
              revoking={revoke.isPending && revoke.variables === token.id}
            />
          ))}
        </Table.Tbody>
      </ListTable>
      <LoadMore query={query} count={tokens.length} />
    </Paper>
  );
}

/** Service accounts and their tokens, and every token of the installation. */
export function ApiTokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [creatingUser, setCreatingUser] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <Stack gap="lg">
      <AdminPageHeader
        title={t('admin.sections.apiTokens')}
        description={t('serviceAccounts.pageText')}
        action={
          <Button onClick={() => setCreatingUser(true)} data-testid="service-new">
            {t('serviceAccounts.new')}
          </Button>
        }
      />
      <ServiceAccounts
        onCreated={(result) => {
          setCreated(result);
          void queryClient.invalidateQueries({ queryKey: apiTokenKeys.all });
        }}
      />
      <AllTokens />
      <NewServiceUserModal opened={creatingUser} onClose={() => setCreatingUser(false)} />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}
