import { useState } from 'react';
import { Anchor, Badge, Button, Modal, Paper, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ListTable } from '../../components/list-table.tsx';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { localized, useDesks } from '../admin/catalog-api.ts';
import { WebhookFields } from './webhook-form.tsx';
import { webhookKeys, webhooksApi, useWebhooks, type WebhookSubscription } from './webhooks-api.ts';

export function WebhookStatus({ webhook }: { webhook: WebhookSubscription }) {
  const { t } = useTranslation();
  if (webhook.enabled)
    return (
      <Badge variant="light" color="green">
        {t('webhooks.enabled')}
      </Badge>
    );
  return (
    <Badge
      variant="light"
      color={webhook.disabledAt ? 'red' : 'gray'}
      title={webhook.disabledAt ? t('webhooks.disabledAuto', { count: webhook.consecutiveFailures }) : undefined}
    >
      {t('webhooks.disabled')}
    </Badge>
  );
}

/** Administration → Webhooks: the subscriptions, and a new one. */
export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const webhooks = useWebhooks();
  const desks = useDesks();
  const [creating, setCreating] = useState(false);
  const deskName = (id: string | null) => {
    const desk = id ? desks.data?.find((d) => d.id === id) : undefined;
    return desk ? localized(desk.names, i18n.language) : t('webhooks.allDesks');
  };

  return (
    <>
      <AdminPageHeader
        title={t('webhooks.title')}
        description={t('webhooks.description')}
        action={
          <Button onClick={() => setCreating(true)} data-testid="webhook-create">
            {t('webhooks.create')}
          </Button>
        }
      />
      <Paper withBorder p="md">
        <ListTable verticalSpacing="sm" data-testid="webhooks-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('webhooks.url')}</Table.Th>
              <Table.Th>{t('webhooks.events')}</Table.Th>
              <Table.Th>{t('webhooks.desk')}</Table.Th>
              <Table.Th>{t('webhooks.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {webhooks.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text c="dimmed" fz="sm">
                    {t('webhooks.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {webhooks.data?.map((w) => (
              <Table.Tr key={w.id} data-testid="webhook-row">
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Anchor component={Link} to={`/admin/webhooks/${w.id}`} fz="sm">
                    {w.description || w.url}
                  </Anchor>
                  {w.description && (
                    <Text fz="xs" c="dimmed">
                      {w.url}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="xs" ff="monospace">
                  {w.events.join(', ')}
                </Table.Td>
                <Table.Td fz="sm">{deskName(w.deskId)}</Table.Td>
                <Table.Td>
                  <WebhookStatus webhook={w} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('webhooks.createTitle')} size="lg">
        <WebhookFields
          initial={{ url: 'https://', description: '', events: ['request.created'], deskId: null, includeInternal: false, enabled: true }}
          submitLabel={t('webhooks.create')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const created = await webhooksApi.create(values);
            await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
            notifications.show({ color: 'green', message: t('webhooks.saved') });
            setCreating(false);
            void navigate(`/admin/webhooks/${created.id}`);
          }}
        />
      </Modal>
    </>
  );
}
