import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Button, CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Queue } from '#shared/tickets-api.ts';
import { LoadMore } from '../../components/list-parts.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useStaffDesks } from '../requests/requests-api.ts';
import { RequestPage } from '../requests/request-page.tsx';
import { useMe } from '../session/session.ts';
import { useWorkspaceList } from './workspace-api.ts';
import { BulkBar } from './workspace-bulk.tsx';
import { FilterBar } from './workspace-filter-bar.tsx';
import { apiQueryOf, DEFAULT_QUEUE, hasFilters, useWorkspaceParams, viewQueryOf } from './workspace-filters.ts';
import { QueueNav, SavedViews, Sidebar } from './workspace-sidebar.tsx';
import { WorkspaceTable } from './workspace-table.tsx';
import classes from './workspace.module.css';

/** Keys typed into a field, or while a dialog is open, are the field's or the dialog's. */
function typingSomewhere(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const field = target.closest('input, textarea, select, [contenteditable="true"], [role="dialog"], [role="listbox"], [role="menu"]');
  if (field) {
    // A closed picker that takes no typing (a filter just chosen keeps the focus): the list's keys still work.
    const closedPicker = field instanceof HTMLInputElement && field.readOnly && field.getAttribute('aria-expanded') === 'false';
    if (!closedPicker) return true;
  }
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/**
 * The request beside the list: the request page itself (conversation, actions, SLA), rendered from
 * the key in the address so the list keeps its scroll position, page and selection.
 */
function RequestPanel({ requestKey, onClose }: { requestKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" className={classes.panel} data-testid="request-panel" data-key={requestKey}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Anchor component={Link} to={`/requests/${requestKey}`} fz="xs" data-testid="panel-full-page">
          {t('workspace.list.openFull')}
        </Anchor>
        <CloseButton aria-label={t('workspace.list.closePanel')} onClick={onClose} data-testid="panel-close" />
      </Group>
      <Routes location={{ pathname: `/agent/panel/${encodeURIComponent(requestKey)}` }}>
        <Route path="panel/:key" element={<RequestPage />} />
      </Routes>
    </Paper>
  );
}

/** /agent: the queues, filters, saved views and the dense list, with a request open beside it and bulk changes. */
export function WorkspacePage() {
  const { t } = useTranslation();
  usePageTitle(t('workspace.queue.title'));
  const location = useLocation();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const wp = useWorkspaceParams();
  const { params, filters } = wp;

  // A fresh workspace opens on all open requests, written in the address so it can be shared as is.
  const fresh = location.search === '';
  useEffect(() => {
    if (fresh) void navigate({ search: `?queue=${DEFAULT_QUEUE}` }, { replace: true });
  }, [fresh, navigate]);

  const desksQuery = useStaffDesks();
  const desks = useMemo(() => (desksQuery.data?.desks ?? []).filter((d) => me?.role === 'admin' || d.member), [desksQuery.data, me?.role]);
  const apiQuery = useMemo(() => apiQueryOf(params), [params]);
  const queryText = apiQuery.toString();
  const list = useWorkspaceList(apiQuery);
  const tickets = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const openKey = params.get('open');

  const [cursor, setCursor] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  // Another list: the selection starts again at its top, and nothing stays checked out of sight.
  useEffect(() => {
    setCursor(0);
    setChecked(new Set());
  }, [queryText]);

  const open = (key: string) => wp.set('open', key);
  const close = () => wp.set('open', null);
  const toggle = (key: string) =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || typingSomewhere(event)) return;
      // Enter on a focused link or button is that control's.
      if (event.key === 'Enter' && (event.target as HTMLElement | null)?.closest('a, button')) return;
      const current = tickets[cursor];
      if (event.key === 'j') {
        event.preventDefault();
        if (cursor >= tickets.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
        setCursor((c) => Math.min(c + 1, Math.max(tickets.length - 1, 0)));
      } else if (event.key === 'k') {
        event.preventDefault();
        setCursor((c) => Math.max(c - 1, 0));
      } else if (event.key === 'Enter' && current) {
        event.preventDefault();
        open(current.key);
      } else if (event.key === 'x' && current) {
        event.preventDefault();
        toggle(current.key);
      } else if (event.key === 'Escape' && openKey) {
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const agents = useMemo(() => {
    const all = new Map<string, string>();
    for (const d of filters.deskId ? desks.filter((x) => x.id === filters.deskId) : desks) for (const a of d.agents) all.set(a.id, a.name);
    if (me && me.role === 'admin') all.set(me.id, me.name);
    return [...all].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }, [desks, filters.deskId, me]);

  const empty = filters.q
    ? t('workspace.list.emptySearch', { q: filters.q })
    : hasFilters(params)
      ? t('workspace.list.emptyFiltered')
      : filters.queue === 'sla_at_risk'
        ? t('workspace.list.emptyAtRisk')
        : filters.queue === 'sla_breached'
          ? t('workspace.list.emptyBreached')
          : t('workspace.list.empty');
  const noDesk = me?.role === 'agent' && desksQuery.isSuccess && desks.length === 0;
  const chooseQueue = (queue: Queue | null) =>
    wp.update((next) => {
      if (queue) next.set('queue', queue);
      else next.delete('queue');
    });

  return (
    <Stack gap="sm" data-testid="agent-queue">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1} fz={24}>
            {t('workspace.queue.title')}
          </Title>
          <Text c="dimmed" fz="xs" mt={2} data-testid="workspace-keyboard-help">
            {t('workspace.list.keyboard')}
          </Text>
        </div>
        <Button component={Link} to="/agent/new" size="sm" data-testid="agent-new-request">
          {t('workspace.queue.newRequest')}
        </Button>
      </Group>

      {noDesk && (
        <Alert variant="light" color="yellow" title={t('workspace.queue.noDeskTitle')} data-testid="queue-no-desk">
          {t('workspace.queue.noDeskText')}
        </Alert>
      )}

      <div className={classes.layout}>
        <Sidebar>
          <QueueNav active={filters.queue} deskId={filters.deskId ?? undefined} onChoose={chooseQueue} />
          <SavedViews currentQuery={viewQueryOf(params)} activeQuery={viewQueryOf(params)} onOpen={wp.replaceAll} />
        </Sidebar>

        <div className={classes.main}>
          <Paper withBorder p="xs" mb="xs">
            <FilterBar filters={filters} desks={desks} tickets={tickets} params={wp} />
          </Paper>
          <div className={classes.split} data-open={openKey ? true : undefined}>
            <div className={classes.listPane}>
              <Paper withBorder>
                {list.isError && (
                  <Alert color="red" variant="light" m="xs" role="alert" data-testid="list-error">
                    <Group justify="space-between">
                      <Text fz="sm">{errorMessage(list.error)}</Text>
                      <Group gap="xs">
                        <Button size="xs" variant="white" color="red" onClick={() => void list.refetch()}>
                          {t('common.retry')}
                        </Button>
                        <Button size="xs" variant="white" color="gray" onClick={wp.clear}>
                          {t('workspace.list.clearFilters')}
                        </Button>
                      </Group>
                    </Group>
                  </Alert>
                )}
                <div className={classes.tableScroll} aria-busy={list.isFetching || undefined} data-loading={list.isPlaceholderData || undefined}>
                  <WorkspaceTable
                    tickets={tickets}
                    pending={list.isPending}
                    empty={empty}
                    cursor={cursor}
                    openKey={openKey}
                    checked={checked}
                    compact={Boolean(openKey)}
                    onCursor={setCursor}
                    onOpen={open}
                    onToggle={toggle}
                    onToggleAll={() =>
                      setChecked((current) => (tickets.every((ticket) => current.has(ticket.key)) ? new Set() : new Set(tickets.map((ticket) => ticket.key))))
                    }
                  />
                </div>
                <div style={{ padding: '0 var(--mantine-spacing-xs) var(--mantine-spacing-xs)' }}>
                  <LoadMore query={list} count={tickets.length} />
                </div>
              </Paper>
              <BulkBar
                key={queryText}
                keys={[...checked]}
                agents={agents}
                onClear={() => setChecked(new Set())}
                onDone={(result) => setChecked(new Set(result.items.filter((item) => !item.ok).map((item) => item.key)))}
              />
            </div>
            {openKey && <RequestPanel requestKey={openKey} onClose={close} />}
          </div>
        </div>
      </div>
    </Stack>
  );
}
