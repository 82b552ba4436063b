import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { api } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { adminApi, adminKeys, useAdminList, type OutboxMessage, type OutboxStatus } from './admin-api.ts';
import classes from './outbox-page.module.css';
import { ListTable } from '../../components/list-table.tsx';
import { LabelledValue as Field } from '../../components/labelled-value.tsx';

const STATUSES: OutboxStatus[] = ['pending', 'sent', 'failed', 'held'];
const STATUS_COLORS: Record<OutboxStatus, string> = { pending: 'blue', sent: 'green', failed: 'red', held: 'gray' };

function StatusBadge({ status }: { status: OutboxStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status]}>
      {t(`outbox.statuses.${status}`)}
    </Badge>
  );
}

/**
 * A dead message (tries used up), or one held because no mail server was configured: the
 * administrator sends it (again) once the mail server works.
 */
function SendAgain({ message }: { message: OutboxMessage }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api<OutboxMessage>(`/admin/outbox/${message.id}/retry`, { method: 'POST' }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('notifications.outbox.retried') });
      void queryClient.invalidateQueries({ queryKey: adminKeys.outbox });
    },
  });
  const held = message.status === 'held';
  return (
    <Alert
      color={held ? 'gray' : 'orange'}
      variant="light"
      title={t(held ? 'notifications.outbox.heldTitle' : 'notifications.outbox.deadTitle')}
      data-testid={held ? 'outbox-held' : 'outbox-dead-letter'}
    >
      <Stack gap="xs" align="flex-start">
        <Text fz="sm">{t(held ? 'notifications.outbox.heldText' : 'notifications.outbox.deadText')}</Text>
        {retry.isError && (
          <Text fz="sm" c="red" role="alert">
            {errorMessage(retry.error)}
          </Text>
        )}
        <Button size="xs" color="orange" loading={retry.isPending} disabled={retry.isSuccess} onClick={() => retry.mutate()} data-testid="outbox-retry">
          {t('notifications.outbox.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

function MessageView({ message }: { message: OutboxMessage }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const detail = useQuery({
    queryKey: [...adminKeys.outbox, 'message', message.id],
    queryFn: ({ signal }) => adminApi.outboxMessage(message.id, signal),
  });
  return (
    <Stack gap="md" data-testid="outbox-message">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Field label={t('outbox.to')}>{message.to}</Field>
        <Field label={t('outbox.template')}>{message.template}</Field>
        <Field label={t('outbox.language')}>{t(`language.names.${message.language}`)}</Field>
        <Field label={t('outbox.status')}>
          <StatusBadge status={message.status} />
        </Field>
        <Field label={t('common.createdAt')}>{format.dateTime(message.createdAt)}</Field>
        <Field label={t('outbox.sentAt')}>{format.dateTime(message.sentAt)}</Field>
        <Field label={t('outbox.attempts')}>{message.attempts}</Field>
        {message.nextAttemptAt && <Field label={t('notifications.outbox.nextAttemptAt')}>{format.dateTime(message.nextAttemptAt)}</Field>}
      </SimpleGrid>
      {(message.status === 'failed' || message.status === 'held') && <SendAgain message={message} />}
      {message.lastError && (
        <Alert color="red" variant="light" title={t('outbox.lastError')}>
          <Text fz="sm" ff="monospace">
            {message.lastError}
          </Text>
        </Alert>
      )}
      <Tabs defaultValue="html">
        <Tabs.List>
          <Tabs.Tab value="html">{t('outbox.html')}</Tabs.Tab>
          <Tabs.Tab value="text">{t('outbox.text')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="html" pt="sm">
          {detail.isPending ? (
            <Center h={200}>
              <Loader size="sm" aria-label={t('common.loading')} />
            </Center>
          ) : detail.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(detail.error)}
            </Alert>
          ) : (
            // The message is rendered with no scripts, forms, plugins or same-origin access.
            <iframe
              sandbox=""
              srcDoc={detail.data.html}
              title={t('outbox.htmlFrame', { subject: message.subject })}
              className={classes.frame}
              data-testid="outbox-html"
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="text" pt="sm">
          <pre className={classes.text} data-testid="outbox-text">
            {message.text}
          </pre>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const [status, setStatus] = useState<OutboxStatus | 'all'>('all');
  // Five choices do not fit side by side on a phone: one under the other there.
  const phone = useMediaQuery('(max-width: 47.99em)') ?? false;
  const [open, setOpen] = useState<OutboxMessage | null>(null);
  const query = useAdminList<OutboxMessage>(adminKeys.outbox, '/admin/outbox', { status: status === 'all' ? undefined : status });
  const messages = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <AdminPageHeader title={t('outbox.title')} description={t('outbox.description')} />
      <Paper withBorder p="md">
        <Group mb="md" gap="sm">
          <Text fz="sm" fw={500} id="outbox-status-filter">
            {t('outbox.status')}
          </Text>
          <SegmentedControl<OutboxStatus | 'all'>
            aria-labelledby="outbox-status-filter"
            size="xs"
            orientation={phone ? 'vertical' : 'horizontal'}
            fullWidth={phone}
            value={status}
            onChange={setStatus}
            data={[{ value: 'all', label: t('outbox.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) }))]}
            data-testid="outbox-status-filter"
          />
        </Group>
        <ListTable highlightOnHover verticalSpacing="sm" data-testid="outbox-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>{t('common.createdAt')}</Table.Th>
              <Table.Th>{t('outbox.to')}</Table.Th>
              <Table.Th>{t('outbox.subject')}</Table.Th>
              <Table.Th>{t('outbox.template')}</Table.Th>
              <Table.Th>{t('outbox.status')}</Table.Th>
              <Table.Th ta="right">{t('outbox.attempts')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow query={query} colSpan={6} count={messages.length} empty={t('outbox.empty')} />
            {messages.map((message) => (
              <Table.Tr key={message.id} className={classes.row} onClick={() => setOpen(message)} data-testid="outbox-row" data-to={message.to}>
                <Table.Td fz="sm">{format.dateTime(message.createdAt)}</Table.Td>
                <Table.Td fz="sm">{message.to}</Table.Td>
                <Table.Td>
                  <Anchor component="button" type="button" fz="sm" onClick={() => setOpen(message)} ta="left">
                    {message.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td fz="sm" ff="monospace">
                  {message.template}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={message.status} />
                </Table.Td>
                <Table.Td fz="sm" ta="right">
                  {message.attempts}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={messages.length} />
      </Paper>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.subject} size="xl">
        {open && <MessageView message={open} />}
      </Modal>
    </>
  );
}
