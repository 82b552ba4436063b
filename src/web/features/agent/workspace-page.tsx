import { useEffect, useId, useMemo, useState } from 'react';
import { Alert, Button, Drawer, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useElementSize, useHotkeys, useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { Link, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Queue } from '#shared/tickets-api.ts';
import { LoadMore } from '../../components/list-parts.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useStaffDesks } from '../requests/requests-api.ts';
import { useMe } from '../session/session.ts';
import { useWorkspaceList } from './workspace-api.ts';
import { BulkBar } from './workspace-bulk.tsx';
import { FilterBar } from './workspace-filter-bar.tsx';
import { ALL_REQUESTS, apiQueryOf, DEFAULT_QUEUE, hasFilters, useWorkspaceParams, viewQueryOf } from './workspace-filters.ts';
import { PanelResizer, RequestDialog, RequestPanel, usePanelWidth } from './workspace-panel.tsx';
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

/** Under Mantine's `sm` breakpoint (phones): the queues are in a drawer. */
const PHONE = '(max-width: 47.99375em)';
/** Under `md`: no room for a request beside the list, it opens full screen. */
const NO_ROOM_BESIDE = '(max-width: 61.99375em)';
const SIDEBAR_ID = 'workspace-queues';

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

  const phone = useMediaQuery(PHONE, false, { getInitialValueInEffect: false });
  const noRoomBeside = useMediaQuery(NO_ROOM_BESIDE, false, { getInitialValueInEffect: false });
  const [queuesHidden, setQueuesHidden] = useLocalStorage({ key: 'guichet.workspace.queues-hidden', defaultValue: false, getInitialValueInEffect: false });
  const [drawerOpened, drawer] = useDisclosure(false);
  const split = useElementSize();
  const panel = usePanelWidth(split.width);
  const titleId = useId();

  const [cursor, setCursor] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  // Another list: the selection starts again at its top, and nothing stays checked out of sight.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list's query is the trigger.
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

  // The list's keys (j, k, Enter, x, Escape), unless the person is typing or a dialog or menu has the
  // keys. Each handler decides whether the key is its own, so the others keep their default.
  const listKey =
    (handler: (event: KeyboardEvent) => boolean) =>
    (event: KeyboardEvent): void => {
      if (typingSomewhere(event)) return;
      if (handler(event)) event.preventDefault();
    };
  const current = tickets[cursor];
  const own = { preventDefault: false };
  useHotkeys(
    [
      [
        'j',
        listKey(() => {
          if (cursor >= tickets.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
          setCursor((c) => Math.min(c + 1, Math.max(tickets.length - 1, 0)));
          return true;
        }),
        own,
      ],
      [
        'k',
        listKey(() => {
          setCursor((c) => Math.max(c - 1, 0));
          return true;
        }),
        own,
      ],
      [
        'Enter',
        // Enter on a focused link, button or the panel's resizer is that control's.
        listKey((event) => {
          if (!current || (event.target as HTMLElement | null)?.closest('a, button, [role="separator"]')) return false;
          open(current.key);
          return true;
        }),
        own,
      ],
      [
        'x',
        listKey(() => {
          if (!current) return false;
          toggle(current.key);
          return true;
        }),
        own,
      ],
      [
        'Escape',
        listKey(() => {
          if (openKey) close();
          return false;
        }),
        own,
      ],
    ],
    // typingSomewhere decides for every element, with the exceptions a tag list cannot express.
    [],
  );

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
      next.set('queue', queue ?? ALL_REQUESTS);
    });

  const queueName = t(`workspace.list.queueNames.${filters.queue ?? 'any'}`);
  const queues = (inDrawer: boolean) => (
    <>
      <QueueNav
        active={filters.queue}
        deskId={filters.deskId ?? undefined}
        heading={!inDrawer}
        onChoose={(queue) => {
          chooseQueue(queue);
          drawer.close();
        }}
      />
      <SavedViews
        currentQuery={viewQueryOf(params)}
        activeQuery={viewQueryOf(params)}
        onOpen={(query) => {
          wp.replaceAll(query);
          drawer.close();
        }}
      />
    </>
  );

  return (
    <Stack gap="sm" data-testid="agent-queue">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1} fz={24} id={titleId}>
            {t('workspace.queue.title')}
          </Title>
          <Text c="dimmed" fz="xs" mt={2} visibleFrom="sm" data-testid="workspace-keyboard-help">
            {t('workspace.list.keyboard')}
          </Text>
        </div>
        <Group gap="xs">
          {phone ? (
            <Button variant="default" size="sm" aria-haspopup="dialog" aria-expanded={drawerOpened} onClick={drawer.open} data-testid="queues-toggle">
              {t('workspace.list.queuesButton', { queue: queueName })}
            </Button>
          ) : (
            <Button
              variant="default"
              size="sm"
              aria-expanded={!queuesHidden}
              aria-controls={queuesHidden ? undefined : SIDEBAR_ID}
              onClick={() => setQueuesHidden((hidden) => !hidden)}
              data-testid="queues-toggle"
            >
              {queuesHidden ? t('workspace.list.showQueues') : t('workspace.list.hideQueues')}
            </Button>
          )}
          <Button component={Link} to="/agent/new" size="sm" data-testid="agent-new-request">
            {t('workspace.queue.newRequest')}
          </Button>
        </Group>
      </Group>

      {noDesk && (
        <Alert variant="light" color="yellow" title={t('workspace.queue.noDeskTitle')} data-testid="queue-no-desk">
          {t('workspace.queue.noDeskText')}
        </Alert>
      )}

      <div className={classes.layout}>
        {!phone && !queuesHidden && <Sidebar id={SIDEBAR_ID}>{queues(false)}</Sidebar>}

        <div className={classes.main}>
          <Paper withBorder p="xs" mb="xs">
            <FilterBar filters={filters} desks={desks} tickets={tickets} params={wp} />
          </Paper>
          <div className={classes.split} ref={split.ref}>
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
                    labelledBy={titleId}
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
              <div className={classes.bulk}>
                <BulkBar
                  key={queryText}
                  keys={[...checked]}
                  agents={agents}
                  onClear={() => setChecked(new Set())}
                  onDone={(result) => setChecked(new Set(result.items.filter((item) => !item.ok).map((item) => item.key)))}
                />
              </div>
            </div>
            {openKey && !noRoomBeside && (
              <>
                <PanelResizer width={panel.width} min={panel.min} max={panel.max} onChange={panel.set} />
                <RequestPanel requestKey={openKey} width={panel.width} onClose={close} />
              </>
            )}
          </div>
        </div>
      </div>

      {phone && (
        <Drawer opened={drawerOpened} onClose={drawer.close} title={t('workspace.list.queues')} size="xs">
          {queues(true)}
        </Drawer>
      )}
      {openKey && noRoomBeside && <RequestDialog requestKey={openKey} onClose={close} />}
    </Stack>
  );
}
