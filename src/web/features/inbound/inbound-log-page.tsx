import { useState } from 'react';
import { Alert, Anchor, Button, Center, Group, List, Loader, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { INBOUND_STATUSES } from '#shared/inbound-api.ts';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { i18n } from '../../i18n/index.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useFileSize } from '../../lib/file-size.ts';
import { scopedErrorMessage } from '../../lib/scoped-errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { useAdminList } from '../admin/admin-api.ts';
import { inboundApi, inboundKeys, REPROCESSABLE, type InboundMessage, type InboundStatus } from './inbound-api.ts';
import { Field, InboundReasonText, InboundStatusBadge, senderOf } from './inbound-parts.tsx';
import classes from './inbound.module.css';

/** Why an attachment was not kept: the message an upload of the same file gets. */
function refusalText(code: string): string {
  const key = `errors.${code}`;
  return i18n.exists(key) ? (i18n.t as unknown as (k: string) => string)(key) : code;
}

function RequestLink({ message }: { message: InboundMessage }) {
  const { t } = useTranslation();
  if (!message.ticketKey) return <Text fz="sm">–</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      <Anchor
        component={Link}
        to={`/requests/${message.ticketKey}`}
        fz="sm"
        fw={600}
        onClick={(event) => event.stopPropagation()}
        data-testid="inbound-request"
      >
        {message.ticketKey}
      </Anchor>
      {message.openedRequest && (
        <Text fz="xs" c="dimmed">
          ({t('inbound.log.openedRequest')})
        </Text>
      )}
    </Group>
  );
}

/** Runs a failed, ignored or refused message through the rules again and says what became of it. */
function Reprocess({ message, onDone }: { message: InboundMessage; onDone: (result: InboundMessage) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reprocess = useMutation({
    mutationFn: () => inboundApi.reprocess(message.id),
    onSuccess: (result) => {
      notifications.show({ color: 'green', message: t('inbound.log.reprocessed', { status: t(`inbound.statuses.${result.status}`) }) });
      onDone(result);
      void queryClient.invalidateQueries({ queryKey: inboundKeys.log });
    },
  });
  return (
    <Alert color="orange" variant="light" data-testid="inbound-reprocess-box">
      <Stack gap="xs" align="flex-start">
        <Text fz="sm">{t('inbound.log.reprocessHint')}</Text>
        {reprocess.isError && (
          <Text fz="sm" c="red" role="alert">
            {scopedErrorMessage(reprocess.error, 'workspace')}
          </Text>
        )}
        <Button size="xs" color="orange" loading={reprocess.isPending} onClick={() => reprocess.mutate()} data-testid="inbound-reprocess">
          {t('inbound.log.reprocess')}
        </Button>
      </Stack>
    </Alert>
  );
}

function MessageView({ initial }: { initial: InboundMessage }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const fileSize = useFileSize();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: inboundKeys.message(initial.id), queryFn: ({ signal }) => inboundApi.message(initial.id, signal) });
  // The detail once loaded; the list's row until then (and its result right after a re-process).
  const message: InboundMessage = detail.data ?? initial;
  return (
    <Stack gap="md" data-testid="inbound-message" data-status={message.status}>
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="sm">
        <Field label={t('inbound.log.from')}>{senderOf(message)}</Field>
        <Field label={t('inbound.log.to')}>{message.to.join(', ') || '–'}</Field>
        <Field label={t('inbound.log.receivedAt')}>{format.dateTime(message.receivedAt)}</Field>
        <Field label={t('inbound.log.status')}>
          <InboundStatusBadge status={message.status} />
        </Field>
        <Field label={t('inbound.log.reason')}>{message.reason ? t(`inbound.reasons.${message.reason}`) : '–'}</Field>
        <Field label={t('inbound.log.request')}>
          <RequestLink message={message} />
        </Field>
        <Field label={t('inbound.log.matchedBy')}>{message.matchedBy ? t(`inbound.matches.${message.matchedBy}`) : '–'}</Field>
        <Field label={t('inbound.log.source')}>{t(`inbound.sources.${message.source}`)}</Field>
        <Field label={t('inbound.log.processedAt')}>{format.dateTime(message.processedAt)}</Field>
        <Field label={t('inbound.log.attempts')}>{message.attempts}</Field>
        <Field label={t('inbound.log.size')}>{fileSize(message.size)}</Field>
        <Field label={t('inbound.log.messageId')}>
          <Text fz="xs" ff="monospace" component="span">
            {message.messageId}
          </Text>
        </Field>
      </SimpleGrid>
      {message.detail && (
        <Alert color={message.status === 'failed' ? 'red' : 'gray'} variant="light" title={t('inbound.log.detail')}>
          <Text fz="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="inbound-detail">
            {message.detail}
          </Text>
        </Alert>
      )}
      {REPROCESSABLE.includes(message.status) && (
        <Reprocess
          message={message}
          onDone={(result) => {
            queryClient.setQueryData(inboundKeys.message(message.id), (old: typeof detail.data) => (old ? { ...old, ...result } : old));
            void queryClient.invalidateQueries({ queryKey: inboundKeys.message(message.id) });
          }}
        />
      )}
      <Group>
        <Anchor href={inboundApi.rawUrl(message.id)} download fz="sm" data-testid="inbound-download">
          {t('inbound.log.downloadOriginal')}
        </Anchor>
      </Group>
      {message.refusedAttachments.length > 0 && (
        <div>
          <Title order={3} fz="sm" mb={4}>
            {t('inbound.log.refusedAttachments')}
          </Title>
          <List size="sm" spacing={2} data-testid="inbound-refused-attachments">
            {message.refusedAttachments.map((file, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two attachments may carry the same name.
              <List.Item key={index} style={{ overflowWrap: 'anywhere' }}>
                {file.fileName} · {fileSize(file.size)} · {refusalText(file.code)}
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {detail.isPending ? (
        <Center h={120}>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      ) : detail.isError ? (
        <Alert color="red" variant="light" role="alert">
          {t('inbound.log.loadFailed')} {errorMessage(detail.error)}
        </Alert>
      ) : (
        <>
          <div>
            <Title order={3} fz="sm" mb={4}>
              {t('inbound.log.text')}
            </Title>
            <pre className={classes.text} data-testid="inbound-text">
              {detail.data.text}
            </pre>
          </div>
          <div>
            <Title order={3} fz="sm" mb={4}>
              {t('inbound.log.headers')}
            </Title>
            {detail.data.headers.length === 0 ? (
              <Text fz="sm" c="dimmed">
                {t('inbound.log.noHeaders')}
              </Text>
            ) : (
              <Table className={classes.headers} fz="xs" verticalSpacing={4} data-testid="inbound-headers">
                <Table.Tbody>
                  {detail.data.headers.map((header, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a header may appear more than once (Received).
                    <Table.Tr key={index}>
                      <Table.Th w="30%" fw={600} fz="xs" scope="row">
                        {header.name}
                      </Table.Th>
                      <Table.Td ff="monospace">{header.value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
        </>
      )}
    </Stack>
  );
}

/** Administration → Inbound mail: every e-mail received, newest first, and what became of it. */
export function InboundLogPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const [status, setStatus] = useState<InboundStatus | 'all'>('all');
  // Eight choices do not fit side by side under a wide screen: one under the other there.
  const narrow = useMediaQuery('(max-width: 74.99em)') ?? false;
  const [open, setOpen] = useState<InboundMessage | null>(null);
  const query = useAdminList<InboundMessage>(inboundKeys.log, '/admin/inbound', { status: status === 'all' ? undefined : status });
  const messages = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <AdminPageHeader title={t('inbound.log.title')} description={t('inbound.log.description')} />
      <Paper withBorder p="md">
        <Stack gap={6} mb="md">
          <Text fz="sm" fw={500} id="inbound-status-filter">
            {t('inbound.log.status')}
          </Text>
          <SegmentedControl<InboundStatus | 'all'>
            aria-labelledby="inbound-status-filter"
            size="xs"
            orientation={narrow ? 'vertical' : 'horizontal'}
            fullWidth={narrow}
            value={status}
            onChange={setStatus}
            data={[{ value: 'all', label: t('inbound.log.all') }, ...INBOUND_STATUSES.map((s) => ({ value: s, label: t(`inbound.statuses.${s}`) }))]}
            data-testid="inbound-status-filter"
            style={{ alignSelf: narrow ? 'stretch' : 'flex-start' }}
          />
        </Stack>
        <ListTable highlightOnHover verticalSpacing="sm" data-testid="inbound-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>{t('inbound.log.receivedAt')}</Table.Th>
              <Table.Th>{t('inbound.log.from')}</Table.Th>
              <Table.Th>{t('inbound.log.subject')}</Table.Th>
              <Table.Th>{t('inbound.log.status')}</Table.Th>
              <Table.Th>{t('inbound.log.request')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow query={query} colSpan={5} count={messages.length} empty={t('inbound.log.empty')} />
            {messages.map((message) => (
              <Table.Tr
                key={message.id}
                className={classes.row}
                onClick={() => setOpen(message)}
                data-testid="inbound-row"
                data-from={message.from}
                data-status={message.status}
              >
                <Table.Td fz="sm">{format.dateTime(message.receivedAt)}</Table.Td>
                <Table.Td fz="sm">{senderOf(message)}</Table.Td>
                <Table.Td>
                  <Anchor component="button" type="button" fz="sm" ta="left" onClick={() => setOpen(message)} data-testid="inbound-open">
                    {message.subject || t('inbound.log.noSubject')}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <InboundStatusBadge status={message.status} />
                    <InboundReasonText reason={message.reason} />
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <RequestLink message={message} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={messages.length} />
      </Paper>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? open.subject || t('inbound.log.noSubject') : ''} size="xl">
        {open && <MessageView key={open.id} initial={open} />}
      </Modal>
    </>
  );
}
