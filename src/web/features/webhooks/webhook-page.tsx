import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { WebhookDeliveryStatus } from '#shared/webhooks-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { WebhookFields } from './webhook-form.tsx';
import { WebhookStatus } from './webhooks-page.tsx';
import { webhookKeys, webhooksApi, type WebhookDelivery, type WebhookSubscriptionDetail } from './webhooks-api.ts';
import { LabelledValue as Field } from '../../components/labelled-value.tsx';

const STATUS_COLORS: Record<WebhookDeliveryStatus, string> = { pending: 'blue', delivered: 'green', failed: 'red' };

function DeliveryStatus({ status }: { status: WebhookDeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status]}>
      {t(`webhooks.statuses.${status}`)}
    </Badge>
  );
}

function Secret({ webhook }: { webhook: WebhookSubscriptionDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState(false);
  const rotate = useMutation({
    mutationFn: () => webhooksApi.rotate(webhook.id),
    onSuccess: (saved) => {
      queryClient.setQueryData(webhookKeys.one(webhook.id), saved);
      setShown(true);
      notifications.show({ color: 'green', message: t('webhooks.rotated') });
    },
  });
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('webhooks.secret')}</Text>
      <Text fz="sm" c="dimmed">
        {t('webhooks.secretHint')}
      </Text>
      <Code block data-testid="webhook-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {shown ? webhook.secret : `whsec_${'•'.repeat(24)}`}
      </Code>
      <ErrorAlert message={rotate.isError ? errorMessage(rotate.error) : null} />
      <Group gap="sm">
        <Button size="xs" variant="default" onClick={() => setShown((s) => !s)} data-testid="webhook-secret-toggle">
          {shown ? t('webhooks.hideSecret') : t('webhooks.showSecret')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={rotate.isPending}
          onClick={() => {
            if (window.confirm(t('webhooks.rotateConfirm'))) rotate.mutate();
          }}
          data-testid="webhook-rotate"
        >
          {t('webhooks.rotate')}
        </Button>
      </Group>
    </Stack>
  );
}

function DeliveryView({ webhookId, delivery }: { webhookId: string; delivery: WebhookDelivery }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: webhookKeys.delivery(webhookId, delivery.id),
    queryFn: ({ signal }) => webhooksApi.delivery(webhookId, delivery.id, signal),
  });
  const resend = useMutation({
    mutationFn: () => webhooksApi.resend(webhookId, delivery.id),
    onSuccess: (saved) => {
      queryClient.setQueryData(webhookKeys.delivery(webhookId, delivery.id), saved);
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(webhookId) });
      notifications.show({ color: 'green', message: t('webhooks.resent') });
    },
  });
  const d = detail.data;
  if (detail.isError) return <ErrorAlert message={errorMessage(detail.error)} />;
  if (!d) return <Loader size="sm" aria-label={t('common.loading')} />;
  return (
    <Stack gap="md" data-testid="webhook-delivery">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Field label={t('webhooks.type')}>{d.type}</Field>
        <Field label={t('webhooks.status')}>
          <DeliveryStatus status={d.status} />
        </Field>
        <Field label={t('webhooks.createdAt')}>{format.dateTime(d.createdAt)}</Field>
        <Field label={t('webhooks.attempts')}>{d.attempts}</Field>
        {d.status === 'pending' && <Field label={t('webhooks.nextAttemptAt')}>{format.dateTime(d.nextAttemptAt)}</Field>}
        {d.deliveredAt && <Field label={t('webhooks.deliveredAt')}>{format.dateTime(d.deliveredAt)}</Field>}
      </SimpleGrid>
      <ErrorAlert message={resend.isError ? errorMessage(resend.error) : null} />
      <Group>
        <Button size="xs" color="orange" loading={resend.isPending} onClick={() => resend.mutate()} data-testid="webhook-resend">
          {t('webhooks.resend')}
        </Button>
      </Group>
      <Text fw={600}>{t('webhooks.payload')}</Text>
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {JSON.stringify(JSON.parse(d.payload), null, 2)}
      </Code>
      <Text fw={600}>{t('webhooks.tries')}</Text>
      {d.tries.length === 0 && (
        <Text fz="sm" c="dimmed">
          {t('webhooks.noTries')}
        </Text>
      )}
      {d.tries.map((a) => (
        <Paper key={a.id} withBorder p="sm" data-testid="webhook-try">
          <Group gap="md" mb="xs">
            <Text fz="sm">{format.dateTime(a.at)}</Text>
            <Badge variant="light" color={a.responseStatus && a.responseStatus < 300 ? 'green' : 'red'}>
              {a.responseStatus ?? '—'}
            </Badge>
            <Text fz="sm" c="dimmed">
              {t('webhooks.duration', { ms: a.durationMs })}
            </Text>
          </Group>
          {a.error && (
            <Text fz="sm" c="red">
              {t('webhooks.error')}: {a.error}
            </Text>
          )}
          {a.responseBody && (
            <>
              <Text fz="xs" c="dimmed" mt="xs">
                {t('webhooks.responseBody')}
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {a.responseBody}
              </Code>
            </>
          )}
        </Paper>
      ))}
    </Stack>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const [open, setOpen] = useState<WebhookDelivery | null>(null);
  const list = useQuery({ queryKey: webhookKeys.deliveries(webhookId), queryFn: ({ signal }) => webhooksApi.deliveries(webhookId, signal) });
  const items = list.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Title order={2} fz={18} mb="sm">
        {t('webhooks.deliveries')}
      </Title>
      <ListTable verticalSpacing="xs" data-testid="webhook-deliveries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('webhooks.createdAt')}</Table.Th>
            <Table.Th>{t('webhooks.type')}</Table.Th>
            <Table.Th>{t('webhooks.status')}</Table.Th>
            <Table.Th>{t('webhooks.lastResult')}</Table.Th>
            <Table.Th ta="right">{t('webhooks.attempts')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.isSuccess && items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text fz="sm" c="dimmed">
                  {t('webhooks.deliveriesEmpty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((d) => (
            <Table.Tr key={d.id} data-testid="webhook-delivery-row">
              <Table.Td fz="sm">
                <Anchor component="button" type="button" fz="sm" onClick={() => setOpen(d)}>
                  {format.dateTime(d.createdAt)}
                </Anchor>
              </Table.Td>
              <Table.Td fz="sm" ff="monospace">
                {d.type}
              </Table.Td>
              <Table.Td>
                <DeliveryStatus status={d.status} />
              </Table.Td>
              <Table.Td fz="sm">{d.lastStatus ?? d.lastError ?? '—'}</Table.Td>
              <Table.Td fz="sm" ta="right">
                {d.attempts}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? t('webhooks.deliveryTitle', { type: open.type, id: open.id }) : ''} size="xl">
        {open && <DeliveryView webhookId={webhookId} delivery={open} />}
      </Modal>
    </Paper>
  );
}

/** One webhook: its settings, its secret, a test ping, and its delivery log. */
export function WebhookPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const webhook = useQuery({ queryKey: webhookKeys.one(id), queryFn: ({ signal }) => webhooksApi.get(id, signal) });
  const ping = useMutation({
    mutationFn: () => webhooksApi.ping(id),
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) });
      const last = d.tries.at(-1);
      notifications.show(
        d.status === 'delivered'
          ? { color: 'green', message: t('webhooks.pingDone', { status: last?.responseStatus ?? '' }) }
          : { color: 'red', message: t('webhooks.pingFailed', { error: last?.error ?? String(last?.responseStatus ?? '') }) },
      );
    },
  });
  const remove = useMutation({
    mutationFn: () => webhooksApi.remove(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
      notifications.show({ color: 'green', message: t('webhooks.deleted') });
      void navigate('/admin/webhooks');
    },
  });
  const w = webhook.data;
  return (
    <>
      <AdminPageHeader
        title={w ? w.description || w.url : t('webhooks.title')}
        action={
          <Anchor component={Link} to="/admin/webhooks" fz="sm">
            {t('webhooks.back')}
          </Anchor>
        }
      />
      {webhook.isError && <ErrorAlert message={errorMessage(webhook.error)} />}
      {w && (
        <>
          {!w.enabled && w.disabledAt && (
            <Alert color="red" variant="light" data-testid="webhook-auto-disabled">
              {t('webhooks.disabledAuto', { count: w.consecutiveFailures })}
            </Alert>
          )}
          <Paper withBorder p="md">
            <Group justify="space-between" mb="md">
              <Title order={2} fz={18}>
                {t('webhooks.editTitle')}
              </Title>
              <WebhookStatus webhook={w} />
            </Group>
            <WebhookFields
              key={w.updatedAt}
              initial={{ url: w.url, description: w.description, events: w.events, deskId: w.deskId, includeInternal: w.includeInternal, enabled: w.enabled }}
              submitLabel={t('webhooks.save')}
              onSubmit={async (values) => {
                const saved = await webhooksApi.update(id, values);
                queryClient.setQueryData(webhookKeys.one(id), saved);
                await queryClient.invalidateQueries({ queryKey: webhookKeys.all, exact: true });
                notifications.show({ color: 'green', message: t('webhooks.saved') });
              }}
            />
          </Paper>
          <Paper withBorder p="md">
            <Secret webhook={w} />
          </Paper>
          <Group gap="sm">
            <Button variant="default" loading={ping.isPending} onClick={() => ping.mutate()} data-testid="webhook-ping">
              {t('webhooks.ping')}
            </Button>
            <Button
              color="red"
              variant="light"
              loading={remove.isPending}
              onClick={() => {
                if (window.confirm(t('webhooks.deleteConfirm'))) remove.mutate();
              }}
              data-testid="webhook-delete"
            >
              {t('webhooks.delete')}
            </Button>
          </Group>
          <ErrorAlert message={ping.isError ? errorMessage(ping.error) : remove.isError ? errorMessage(remove.error) : null} />
          <Deliveries webhookId={id} />
        </>
      )}
    </>
  );
}
