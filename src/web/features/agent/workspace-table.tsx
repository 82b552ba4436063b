/* biome-ignore-all lint/a11y/useSemanticElements: the list is an ARIA table on a CSS grid, which becomes cards on phones; <table> elements cannot (axe-core checks the roles in the browser tests). */
/* biome-ignore-all lint/a11y/useFocusableInteractive: rows and cells of a table (not a grid) take no focus; their links and checkboxes do. */
import { useEffect, useRef } from 'react';
import { Anchor, Box, Checkbox, Skeleton, Text, Tooltip } from '@mantine/core';
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
      c={clock.state === 'running' ? undefined : clock.state === 'paused' || clock.state === 'met' || clock.state === 'canceled' ? 'dimmed' : color}
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

function SkeletonRows() {
  return (
    <>
      {Array.from({ length: 8 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders, all alike.
        <div role="row" key={i} className={classes.fullRow} data-testid="workspace-skeleton">
          <div role="cell">
            <Skeleton h={12} my={6} w={`${60 + ((i * 13) % 35)}%`} />
          </div>
        </div>
      ))}
    </>
  );
}

/** A cell's heading, shown in the cards only: in the table layouts the column headers say it. */
function CardLabel({ children }: { children: string }) {
  return <span className={classes.cardLabel}>{children}</span>;
}

/**
 * The dense list, one DOM for every width: its layout follows the width of the list itself (CSS
 * container queries in workspace.module.css), not the window's, so it is the same whether the
 * window is narrow or a request is open beside the list. Wide: one line per request, a column per
 * detail; medium: two lines per request (organization under the summary, both SLA clocks stacked,
 * assignee over last change); narrow (phones, or a wide request panel): cards. Nothing is cut in
 * any of them: badges wrap rather than truncate.
 *
 * The selection (the row j/k move to, Enter opens) is distinct from the checked rows (x, for bulk changes).
 */
export function WorkspaceTable({
  tickets,
  pending,
  empty,
  cursor,
  openKey,
  checked,
  labelledBy,
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
  labelledBy?: string;
  onCursor: (index: number) => void;
  onOpen: (key: string) => void;
  onToggle: (key: string) => void;
  onToggleAll: () => void;
}) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    body.current?.querySelector(`[data-index="${cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);
  const allChecked = tickets.length > 0 && tickets.every((ticket) => checked.has(ticket.key));

  return (
    <div role="table" aria-labelledby={labelledBy} className={classes.list} data-testid="queue-table" ref={body}>
      <div role="row" className={classes.head}>
        <div role="columnheader" className={classes.cCheck}>
          <Checkbox
            size="xs"
            aria-label={t('workspace.list.selectAll')}
            label={t('workspace.list.selectAll')}
            classNames={{ labelWrapper: classes.cardLabel }}
            checked={allChecked}
            indeterminate={!allChecked && tickets.some((ticket) => checked.has(ticket.key))}
            onChange={onToggleAll}
            data-testid="select-all"
          />
        </div>
        <div role="columnheader" className={classes.cKey}>
          {t('workspace.list.key')}
        </div>
        <div role="columnheader" className={classes.cSummary}>
          {t('workspace.list.summary')}
        </div>
        <div role="columnheader" className={classes.cOrg}>
          {t('workspace.queue.organization')}
        </div>
        <div role="columnheader" className={classes.cState}>
          {t('workspace.list.state')}
        </div>
        <div role="columnheader" className={classes.cAssignee}>
          {t('workspace.queue.assignee')}
        </div>
        <div role="columnheader" className={classes.cEngagement}>
          {t('workspace.list.engagement')}
        </div>
        <div role="columnheader" className={classes.cResolution}>
          {t('workspace.list.resolution')}
        </div>
        <div role="columnheader" className={classes.cUpdated}>
          {t('workspace.list.updated')}
        </div>
      </div>
      {pending && tickets.length === 0 && <SkeletonRows />}
      {!pending && tickets.length === 0 && (
        <div role="row" className={classes.fullRow}>
          <div role="cell">
            <Text c="dimmed" ta="center" py="xl" fz="sm" data-testid="list-empty">
              {empty}
            </Text>
          </div>
        </div>
      )}
      {tickets.map((ticket, index) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: a click anywhere on the row is a shortcut for its link (the summary); the keyboard has the link and the workspace keys (j, k, Enter).
        <div
          role="row"
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
          <div role="cell" className={classes.cCheck}>
            <Checkbox
              size="xs"
              aria-label={t('workspace.list.select', { key: ticket.key })}
              checked={checked.has(ticket.key)}
              onChange={() => onToggle(ticket.key)}
              data-testid="row-check"
            />
          </div>
          <div role="cell" className={classes.cKey}>
            <Anchor component={Link} to={`/requests/${ticket.key}`} fw={600} ff="monospace" fz="sm" data-testid="queue-key">
              {ticket.key}
            </Anchor>
          </div>
          <div role="cell" className={classes.cSummary}>
            <Text fz="sm" fw={500} className={classes.summary} title={ticket.summary} data-testid="queue-summary">
              {ticket.summary}
            </Text>
            <Text fz="xs" c="dimmed" lineClamp={1}>
              {ticket.desk.name} · {ticket.requestType.name} · {ticket.reporter.name}
            </Text>
            {ticket.snippet && (
              // The server escapes the text and adds only <mark> around the matches.
              // biome-ignore lint/security/noDangerouslySetInnerHtml: see the line above.
              <Box fz="xs" c="dimmed" className={classes.snippet} data-testid="queue-snippet" dangerouslySetInnerHTML={{ __html: ticket.snippet }} />
            )}
          </div>
          <div role="cell" className={classes.cOrg}>
            <Text span fz="sm" data-testid="queue-organization">
              {ticket.organization.name}
            </Text>
          </div>
          <div role="cell" className={classes.cState}>
            <CriticalityBadge criticality={ticket.criticality} size="sm" className={classes.badge} data-testid="queue-criticality" />
            <StatusBadge status={ticket.status} label={ticket.statusLabel} size="sm" className={classes.badge} data-testid="queue-status" />
          </div>
          <div role="cell" className={classes.cAssignee}>
            <CardLabel>{t('workspace.queue.assignee')}</CardLabel>
            <Text span fz="sm" c={ticket.assignee ? undefined : 'dimmed'} data-testid="queue-assignee">
              {ticket.assignee ? ticket.assignee.name : t('workspace.queue.unassigned')}
            </Text>
          </div>
          <div role="cell" className={classes.cEngagement}>
            <CardLabel>{t('workspace.list.engagement')}</CardLabel>
            {ticket.sla === null ? (
              <Text span fz="xs" c="dimmed">
                {t('workspace.list.noSla')}
              </Text>
            ) : (
              <SlaCell clock={ticket.sla?.engagement} kind="engagement" />
            )}
          </div>
          <div role="cell" className={classes.cResolution}>
            <CardLabel>{t('workspace.list.resolution')}</CardLabel>
            {ticket.sla === null ? null : <SlaCell clock={ticket.sla?.resolution} kind="resolution" />}
          </div>
          <div role="cell" className={classes.cUpdated}>
            <CardLabel>{t('workspace.list.updated')}</CardLabel>
            <Text span fz="xs" c="dimmed" className={classes.updatedText} data-testid="queue-updated">
              {format.dateTime(ticket.updatedAt)}
            </Text>
          </div>
        </div>
      ))}
    </div>
  );
}
