import { useState } from 'react';
import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role } from '#shared/domain.ts';
import { ListStatusRow, LoadMore } from '../../components/list-parts.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { i18n } from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { apiTokenKeys, apiTokensApi, useTokenList, type CreatedApiToken } from '../api-tokens/api-tokens-api.ts';
import { CreateTokenModal, SecretModal, TokenHead, TokenRow } from '../api-tokens/token-parts.tsx';

/** My personal API tokens: create one (its secret shown once), see them, revoke them. */
export function ApiTokensCard({ role }: { role: Role }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const query = useTokenList(apiTokenKeys.mine, '/me/api-tokens');
  const tokens = query.data?.pages.flatMap((page) => page.items) ?? [];
  const revoke = useMutation({
    mutationFn: (id: string) => apiTokensApi.revokeMine(id),
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: apiTokenKeys.mine });
      notifications.show({ color: 'green', message: i18n.t('apiTokens.revoked', { name: token.name }) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
  });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-tokens-title" data-testid="api-tokens">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} fz="lg" id="profile-tokens-title">
              {t('apiTokens.title')}
            </Title>
            <Text fz="sm" c="dimmed" maw={640}>
              {t('apiTokens.text')}
            </Text>
          </div>
          <Button onClick={() => setCreating(true)} data-testid="token-new">
            {t('apiTokens.new')}
          </Button>
        </Group>
        <ListTable verticalSpacing="sm" data-testid="tokens-table">
          <TokenHead showOwner={false} />
          <Table.Tbody>
            <ListStatusRow query={query} colSpan={6} empty={t('apiTokens.empty')} count={tokens.length} />
            {tokens.map((token) => (
              <TokenRow
                key={token.id}
                token={token}
                showOwner={false}
                revoke={() => revoke.mutate(token.id)}
                revoking={revoke.isPending && revoke.variables === token.id}
              />
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={tokens.length} />
      </Stack>
      <CreateTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('apiTokens.newTitle')}
        adminScope={role === 'admin'}
        create={apiTokensApi.createMine}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
          void queryClient.invalidateQueries({ queryKey: apiTokenKeys.mine });
        }}
      />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </Card>
  );
}
