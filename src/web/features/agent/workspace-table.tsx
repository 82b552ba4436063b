import { useEffect, useRef } from 'react';
import { Anchor, Box, Checkbox, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SlaClockBrief, TicketSummary } from '#shared/tickets-api.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { CriticalityBadge, StatusBadge } from '../requests/labels.tsx';
import { useSlaFormat } from '../sla/sla-format.ts';
import classes from './workspace.module.css';

const SLA_COLORS: Record<SlaClockBrief['state'], string> = {
  running: 'green',
  at_risk: 'orange',
  breached: 'red',
  paused: 'gray',
  met: 'gray',
  canceled: 'gray',
};

/** One SLA clock in a cell: remaining business time (or how late), coloured when at risk or breached; the deadline on hover. */
export function SlaCell({ clock, kind }: { clock: SlaClockBrief | null | undefined; kind: 'engagement' | 'resolution' }) {
  const { t } = useTranslation();
  const format = useSlaFormat();
  if (!clock) {
    return (
      <Text span fz="xs" c="dimmed">
        —
      </Text>
    );
  }
  const running = clock.state === 'running' || clock.state === 'at_risk' || (clock.state === 'breached' && clock.deadline !== null);
  const text = running
    ? clock.remainingMinutes < 0
      ? t('workspace.list.slaOver', { time: format.duration(clock.remainingMinutes) })
      : t('workspace.list.slaLeft', { time: format.duration(clock.remainingMinutes) })
    : clock.state === 'paused'
      ? t('workspace.list.slaPaused')
      : clock.state === 'met'
        ? t('workspace.list.slaMet')
        : clock.state === 'canceled'
          ? t('workspace.list.slaCanceled')
          : t('workspace.list.slaBreachedStopped');
  const color = SLA_COLORS[clock.state];
  const label = (
    <Text
      span
      fz="xs"
      fw={clock.state === 'at_risk' || clock.state === 'breached' ? 700 : 500}
      c={clock.state === 'running' ? undefined : clock.state === 'paused' || clock.state === 'met' || clock.state === 'canceled' ? 'dimmed' : `${color}.8`}
      className={classes.sla}
      style={{ borderLeftColor: `var(--mantine-color-${color}-6)` }}
      data-testid={`sla-${kind}`}
      data-state={clock.state}
    >
      {text}
    </Text>
  );
  return clock.deadline ? (
    <Tooltip label={t('workspace.list.slaDeadline', { date: format.dateTime(clock.deadline) })} withinPortal openDelay={300}>
      {label}
    </Tooltip>
  ) : (
    label
  );
}

function SkeletonRows({ columns }: { columns: number }) {
  return (
    <>
      {Array.from({ length: 8 }, (_, i) => (
        <Table.Tr key={i} data-testid="workspace-skeleton">
          {Array.from({ length: columns }, (__, j) => (
            <Table.Td key={j}>
              <Skeleton h={12} w={j === 2 ? '80%' : '60%'} />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

export const WORKSPACE_COLUMNS = 10;

/**
 * The dense list. The selection (the row j/k move to, Enter opens) is distinct from the checked
 * rows (x, for bulk changes). `compact`: a request is open beside the list, so fewer columns.
 */
export function WorkspaceTable({
  tickets,
  pending,
  empty,
  cursor,
  openKey,
  checked,
  compact,
  onCursor,
  onOpen,
  onToggle,
  onToggleAll,
}: {
  tickets: TicketSummary[];
  pending: boolean;
  empty: string;
  cursor: number;
  openKey: string | null;
  checked: Set<string>;
  compact: boolean;
  onCursor: (index: number) => void;
  onOpen: (key: string) => void;
  onToggle: (key: string) => void;
  onToggleAll: () => void;
}) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    body.current?.querySelector(`[data-index="${cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);
  const allChecked = tickets.length > 0 && tickets.every((ticket) => checked.has(ticket.key));
  const columns = compact ? 6 : WORKSPACE_COLUMNS;

  return (
    <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" stickyHeader className={classes.table} data-testid="queue-table" data-compact={compact || undefined}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={28}>
            <Checkbox
              size="xs"
              aria-label={t('workspace.list.selectAll')}
              checked={allChecked}
              indeterminate={!allChecked && tickets.some((ticket) => checked.has(ticket.key))}
              onChange={onToggleAll}
              data-testid="select-all"
            />
          </Table.Th>
          <Table.Th>{t('workspace.list.key')}</Table.Th>
          <Table.Th>{t('workspace.list.summary')}</Table.Th>
          {!compact && <Table.Th>{t('workspace.queue.organization')}</Table.Th>}
          <Table.Th>{t('workspace.queue.criticality')}</Table.Th>
          {!compact && <Table.Th>{t('workspace.queue.status')}</Table.Th>}
          {!compact && <Table.Th>{t('workspace.queue.assignee')}</Table.Th>}
          <Table.Th>{t('workspace.list.engagement')}</Table.Th>
          <Table.Th>{t('workspace.list.resolution')}</Table.Th>
          {!compact && <Table.Th>{t('workspace.list.updated')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody ref={body}>
        {pending && tickets.length === 0 && <SkeletonRows columns={columns} />}
        {!pending && tickets.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={columns}>
              <Text c="dimmed" ta="center" py="xl" fz="sm" data-testid="list-empty">
                {empty}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {tickets.map((ticket, index) => (
          <Table.Tr
            key={ticket.id}
            className={classes.row}
            data-index={index}
            data-cursor={index === cursor || undefined}
            data-open={ticket.key === openKey || undefined}
            aria-selected={index === cursor}
            onClick={(event) => {
              const target = event.target as HTMLElement;
              if (target.closest('a, input, button, label')) return;
              onCursor(index);
              onOpen(ticket.key);
            }}
            data-testid="queue-row"
            data-key={ticket.key}
          >
            <Table.Td>
              <Checkbox size="xs" aria-label={t('workspace.list.select', { key: ticket.key })} checked={checked.has(ticket.key)} onChange={() => onToggle(ticket.key)} data-testid="row-check" />
            </Table.Td>
            <Table.Td className={classes.nowrap}>
              <Anchor component={Link} to={`/requests/${ticket.key}`} fw={600} ff="monospace" fz="sm" data-testid="queue-key">
                {ticket.key}
              </Anchor>
            </Table.Td>
            <Table.Td maw={compact ? 260 : 360}>
              <Text fz="sm" fw={500} lineClamp={1} title={ticket.summary}>
                {ticket.summary}
              </Text>
              <Text fz="xs" c="dimmed" lineClamp={1}>
                {ticket.desk.name} · {ticket.requestType.name} · {ticket.reporter.name}
                {compact && ` · ${ticket.organization.name}`}
              </Text>
              {ticket.snippet && (
                // The server escapes the text and adds only <mark> around the matches.
                <Box fz="xs" c="dimmed" className={classes.snippet} data-testid="queue-snippet" dangerouslySetInnerHTML={{ __html: ticket.snippet }} />
              )}
            </Table.Td>
            {!compact && <Table.Td className={classes.nowrap}>{ticket.organization.name}</Table.Td>}
            <Table.Td>
              <CriticalityBadge criticality={ticket.criticality} size="sm" />
            </Table.Td>
            {!compact && (
              <Table.Td>
                <StatusBadge status={ticket.status} label={ticket.statusLabel} size="sm" />
              </Table.Td>
            )}
            {!compact && (
              <Table.Td className={classes.nowrap} data-testid="queue-assignee">
                {ticket.assignee ? (
                  ticket.assignee.name
                ) : (
                  <Text span c="dimmed" fz="sm">
                    {t('workspace.queue.unassigned')}
                  </Text>
                )}
              </Table.Td>
            )}
            <Table.Td className={classes.nowrap}>
              {ticket.sla === null ? (
                <Text span fz="xs" c="dimmed">
                  {t('workspace.list.noSla')}
                </Text>
              ) : (
                <SlaCell clock={ticket.sla?.engagement} kind="engagement" />
              )}
            </Table.Td>
            <Table.Td className={classes.nowrap}>{ticket.sla === null ? null : <SlaCell clock={ticket.sla?.resolution} kind="resolution" />}</Table.Td>
            {!compact && (
              <Table.Td className={classes.nowrap} c="dimmed" fz="xs">
                {format.dateTime(ticket.updatedAt)}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
