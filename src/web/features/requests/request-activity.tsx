import type { ReactNode } from 'react';
import { Anchor, Avatar, Badge, Box, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CRITICALITY_RANK, customerSeesStatusChange, STATUSES, CRITICALITIES, type Criticality, type Status } from '#shared/tickets.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { describeSlaEntry } from '../sla/sla-history.ts';
import { FileIcon } from './attachments-input.tsx';
import { useFileSize } from '../../lib/file-size.ts';
import { useTicketLabels } from './labels.tsx';
import { Markdown } from './markdown.tsx';
import { ViewOriginal } from './message-original.tsx';
import { attachmentUrl, type TicketDetail } from './requests-api.ts';
import classes from './requests.module.css';

type Message = TicketDetail['messages'][number];
type HistoryEntry = TicketDetail['history'][number];

const isStatus = (value: string | null): value is Status => value !== null && (STATUSES as readonly string[]).includes(value);
const isCriticality = (value: string | null): value is Criticality => value !== null && (CRITICALITIES as readonly string[]).includes(value);

/** The server's own reason when a customer's reply reopens a resolved request. */
const REOPENED_BY_CUSTOMER = 'reopened by the customer';

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

/** The last change of criticality, when it lowered the level the request still has: the customer must see it and why. */
export function lastLowering(detail: TicketDetail): HistoryEntry | null {
  const last = [...detail.history].reverse().find((entry) => entry.field === 'criticality');
  if (!last || !isCriticality(last.from) || !isCriticality(last.to)) return null;
  if (last.to !== detail.criticality) return null;
  return CRITICALITY_RANK[last.to] < CRITICALITY_RANK[last.from] ? last : null;
}

/** One history entry in the viewer's words; null when there is nothing this viewer would understand (e.g. two statuses a customer reads the same). */
export function useDescribeEntry(staff: boolean) {
  const { t } = useTranslation();
  const labels = useTicketLabels(staff ? 'staff' : 'customer');
  return (entry: HistoryEntry): { text: string; reason: string | null } | null => {
    const reason = entry.reason;
    switch (entry.field) {
      case 'created':
        return { text: entry.actor ? t('requests.history.created') : t('requests.history.createdSystem'), reason: null };
      case 'status': {
        if (!isStatus(entry.from) || !isStatus(entry.to)) return null;
        if (!staff && !customerSeesStatusChange(entry.from, entry.to)) return null;
        const params = { from: labels.status(entry.from), to: labels.status(entry.to) };
        const shownReason = reason === REOPENED_BY_CUSTOMER ? t('requests.history.reopenedByCustomer') : reason;
        return { text: entry.actor ? t('requests.history.status', params) : t('requests.history.statusSystem', params), reason: shownReason };
      }
      case 'criticality': {
        if (!isCriticality(entry.from) || !isCriticality(entry.to)) return null;
        const params = { from: labels.criticality(entry.from), to: labels.criticality(entry.to) };
        const lowered = CRITICALITY_RANK[entry.to] < CRITICALITY_RANK[entry.from];
        return { text: lowered ? t('requests.history.criticalityLowered', params) : t('requests.history.criticalityRaised', params), reason };
      }
      case 'desk':
        return { text: t('requests.history.desk', { from: entry.from ?? '—', to: entry.to ?? '—' }), reason };
      case 'request_type':
        return { text: t('requests.history.requestType', { from: entry.from ?? '—', to: entry.to ?? '—' }), reason };
      case 'assignee':
        return entry.to
          ? { text: t('requests.history.assigned', { to: entry.to }), reason }
          : { text: t('requests.history.unassigned', { from: entry.from ?? '—' }), reason };
      case 'project':
        return { text: t('requests.history.project'), reason };
      case 'participant_added':
        // A customer who replies joins the request by themself.
        return entry.actor && entry.actor.name === entry.to
          ? { text: t('requests.history.participantJoined'), reason }
          : { text: t('requests.history.participantAdded', { name: entry.to ?? '—' }), reason };
      case 'participant_removed':
        return entry.actor && entry.actor.name === entry.from
          ? { text: t('requests.history.participantLeft'), reason }
          : { text: t('requests.history.participantRemoved', { name: entry.from ?? '—' }), reason };
      case 'qualified':
        return { text: t('requests.history.qualified'), reason };
      case 'sla_warning':
      case 'sla_breach':
      case 'sla_level3':
      case 'sla_stopped':
      case 'sla_retarget':
      case 'sla_retarget_criticality':
      case 'sla_retarget_request_type':
        return describeSlaEntry(t, entry);
      default:
        return { text: t('requests.history.other', { field: entry.field }), reason };
    }
  };
}

/** The files sent with a message (messageId) or with the request itself (null), as links. */
export function AttachmentChips({ detail, messageId }: { detail: TicketDetail; messageId: string | null }) {
  const formatSize = useFileSize();
  const files = detail.attachments.filter((a) => a.messageId === messageId);
  if (files.length === 0) return null;
  return (
    <Group gap={6} mt={8}>
      {files.map((file) => (
        <Anchor
          key={file.id}
          href={attachmentUrl(detail.key, file.id)}
          target="_blank"
          rel="noopener"
          fz="xs"
          className={classes.upload}
          style={{ display: 'inline-flex', alignItems: 'center', gap: 6, padding: '2px 8px' }}
          data-testid="message-attachment"
        >
          <FileIcon size={14} />
          {file.fileName}
          <Text span fz={11} c="dimmed">
            {formatSize(file.size)}
          </Text>
        </Anchor>
      ))}
    </Group>
  );
}

function MessageItem({ detail, message, viewerId }: { detail: TicketDetail; message: Message; viewerId: string | undefined }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const internal = message.visibility === 'internal';
  // Sent by e-mail: the original (before quotes and signature were cut) can be read.
  const byEmail = 'byEmail' in message && message.byEmail === true;
  return (
    <Box
      className={classes.message}
      data-by-email={byEmail || undefined}
      data-visibility={message.visibility}
      data-staff={message.author.staff || undefined}
      data-testid="message"
      component="article"
      aria-label={internal ? t('requests.detail.internalNote') : message.author.name}
    >
      <Group className={classes.messageHeader} justify="space-between" gap="xs" wrap="nowrap">
        <Group gap={8} wrap="nowrap" miw={0}>
          <Avatar size={24} radius="xl" color={message.author.staff ? 'guichet' : 'gray'}>
            {initials(message.author.name)}
          </Avatar>
          <Text fz="sm" fw={600} truncate>
            {message.author.name}
            {message.author.id === viewerId && (
              <Text span fz="xs" c="dimmed" fw={400}>
                {' '}
                ({t('requests.detail.you')})
              </Text>
            )}
          </Text>
          {message.author.staff && !internal && (
            <Badge size="xs" variant="light" radius="sm" tt="none">
              {t('requests.detail.customerServices')}
            </Badge>
          )}
          {internal && (
            <Badge size="xs" color="yellow" variant="filled" radius="sm" tt="none" data-testid="internal-note-label">
              {t('requests.detail.internalNote')}
            </Badge>
          )}
          {byEmail && (
            <Badge size="xs" color="gray" variant="outline" radius="sm" tt="none" style={{ flexShrink: 0 }} data-testid="message-by-email">
              {t('requests.detail.byEmail')}
            </Badge>
          )}
        </Group>
        <Text fz="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {format.dateTime(message.createdAt)}
        </Text>
      </Group>
      <Box className={classes.messageBody}>
        <Markdown source={message.body} data-testid="message-body" />
        <AttachmentChips detail={detail} messageId={message.id} />
        {byEmail && <ViewOriginal ticketKey={detail.key} messageId={message.id} />}
      </Box>
    </Box>
  );
}

function EventItem({ entry, text, reason }: { entry: HistoryEntry; text: string; reason: string | null }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const highlight = entry.field === 'criticality' || (entry.field === 'status' && reason);
  return (
    <Box className={classes.event} data-testid="history-entry" data-field={entry.field}>
      <Text fz="xs" c="dimmed">
        <Text span fz="xs" fw={600} c={highlight ? 'var(--mantine-color-text)' : 'dimmed'}>
          {entry.actor?.name ?? t('requests.history.system')}
        </Text>{' '}
        <Text span fz="xs" c={highlight ? 'var(--mantine-color-text)' : 'dimmed'}>
          {text}
        </Text>
        {' · '}
        {format.dateTime(entry.at)}
      </Text>
      {reason && (
        <Text fz="xs" mt={2} fs="italic" data-testid="history-reason">
          {t('requests.history.reason', { reason })}
        </Text>
      )}
    </Box>
  );
}

/**
 * Several changes made at the same instant (a move, a qualification, a reply that reopens) read in
 * this order; the request's creation comes first, a message before the status change it caused.
 */
const EVENT_ORDER: Record<string, number> = {
  created: 0,
  desk: 2,
  request_type: 3,
  project: 4,
  criticality: 5,
  qualified: 6,
  status: 7,
  assignee: 8,
  participant_added: 9,
  participant_removed: 9,
};

/** The conversation and the history, in one chronological feed. Internal notes are visibly apart. */
export function RequestActivity({ detail, staff, viewerId }: { detail: TicketDetail; staff: boolean; viewerId: string | undefined }) {
  const describe = useDescribeEntry(staff);
  type Item = { at: string; order: number; node: ReactNode; id: string };
  const items: Item[] = [];
  for (const message of detail.messages) {
    items.push({
      at: message.createdAt,
      order: 1,
      id: message.id,
      node: <MessageItem key={message.id} detail={detail} message={message} viewerId={viewerId} />,
    });
  }
  for (const entry of detail.history) {
    const described = describe(entry);
    if (!described) continue;
    items.push({
      at: entry.at,
      order: EVENT_ORDER[entry.field] ?? 9,
      id: entry.id,
      node: <EventItem key={entry.id} entry={entry} text={described.text} reason={described.reason} />,
    });
  }
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  return (
    <Stack gap={8} data-testid="activity">
      {items.map((item) => item.node)}
    </Stack>
  );
}
