import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { CriticalityBadge, StatusBadge } from '../requests/labels.tsx';
import { useStaffDesks, useTicketList } from '../requests/requests-api.ts';
import { useMe } from '../session/session.ts';
import classes from './agent.module.css';

const ALL = 'all';

/** The desks this person's queue covers: their own, or every desk for an administrator. */
function useQueueDesks() {
  const { data: me } = useMe();
  const desks = useStaffDesks();
  const all = desks.data?.desks ?? [];
  return { query: desks, desks: me?.role === 'admin' ? all : all.filter((desk) => desk.member) };
}

function DeskFilter({ value, onChange, desks }: { value: string; onChange: (value: string) => void; desks: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const allLabel = me?.role === 'admin' ? t('workspace.queue.allDesks') : t('workspace.queue.allMyDesks');
  const data = [{ value: ALL, label: allLabel }, ...desks.map((desk) => ({ value: desk.id, label: desk.name }))];
  if (desks.length <= 3) {
    return <SegmentedControl value={value} onChange={onChange} data={data} aria-label={t('workspace.queue.deskFilter')} data-testid="queue-desk-filter" />;
  }
  return (
    <Select
      aria-label={t('workspace.queue.deskFilter')}
      value={value}
      onChange={(next) => onChange(next ?? ALL)}
      data={data}
      allowDeselect={false}
      w={240}
      data-testid="queue-desk-filter"
    />
  );
}

/**
 * The open requests of my desks (every desk for an administrator), newest first, with a desk
 * filter and "assigned to me". Filters live in the address (?desk=…&mine=1), so back and reload keep them.
 * `embedded`: shown inside another page (the staff home), with a smaller title and no page title.
 */
export function AgentQueue({ embedded = false }: { embedded?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const format = useDateFormat();
  const [params, setParams] = useSearchParams();
  const { query: desksQuery, desks } = useQueueDesks();
  const { data: me } = useMe();
  const wantedDesk = params.get('desk');
  const deskId = wantedDesk && desks.some((desk) => desk.id === wantedDesk) ? wantedDesk : undefined;
  const mine = params.get('mine') === '1';
  const query = useTicketList(mine ? 'mine' : 'desks', 'open', deskId);
  const tickets = query.data?.pages.flatMap((page) => page.items) ?? [];
  const noDesk = me?.role === 'agent' && desksQuery.isSuccess && desks.length === 0;

  const setFilter = (name: 'desk' | 'mine', value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );

  const empty = mine
    ? t('workspace.queue.emptyMine')
    : deskId
      ? t('workspace.queue.emptyDesk')
      : me?.role === 'admin'
        ? t('workspace.queue.emptyAll')
        : t('workspace.queue.empty');

  return (
    <Stack gap="md" data-testid="agent-queue">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={embedded ? 2 : 1} fz={embedded ? 'xl' : 26}>
            {t('workspace.queue.title')}
          </Title>
          <Text c="dimmed" fz="sm" mt={2}>
            {me?.role === 'admin' ? t('workspace.queue.descriptionAdmin') : t('workspace.queue.description')}
          </Text>
        </div>
        <Button component={Link} to="/agent/new" data-testid="agent-new-request">
          {t('workspace.queue.newRequest')}
        </Button>
      </Group>

      {noDesk && (
        <Alert variant="light" color="yellow" title={t('workspace.queue.noDeskTitle')} data-testid="queue-no-desk">
          {t('workspace.queue.noDeskText')}
        </Alert>
      )}

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm" gap="sm">
          {desks.length > 1 ? <DeskFilter value={deskId ?? ALL} onChange={(value) => setFilter('desk', value === ALL ? null : value)} desks={desks} /> : <span />}
          <Switch
            label={t('workspace.queue.assignedToMe')}
            checked={mine}
            onChange={(event) => setFilter('mine', event.currentTarget.checked ? '1' : null)}
            data-testid="queue-mine"
          />
        </Group>
        <Table.ScrollContainer minWidth={1100}>
          <Table verticalSpacing={6} horizontalSpacing="sm" fz="sm" highlightOnHover stickyHeader data-testid="queue-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workspace.queue.key')}</Table.Th>
                <Table.Th>{t('workspace.queue.summary')}</Table.Th>
                <Table.Th>{t('workspace.queue.criticality')}</Table.Th>
                <Table.Th>{t('workspace.queue.status')}</Table.Th>
                <Table.Th>{t('workspace.queue.organization')}</Table.Th>
                <Table.Th>{t('workspace.queue.reporter')}</Table.Th>
                <Table.Th>{t('workspace.queue.assignee')}</Table.Th>
                <Table.Th>{t('workspace.queue.created')}</Table.Th>
                <Table.Th>{t('workspace.queue.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <ListStatusRow query={query} colSpan={9} count={tickets.length} empty={empty} />
              {tickets.map((ticket) => (
                <Table.Tr
                  key={ticket.id}
                  className={classes.row}
                  onClick={(event) => {
                    // The key is a link of its own; a click elsewhere on the row opens the request too.
                    if ((event.target as HTMLElement).closest('a')) return;
                    void navigate(`/requests/${ticket.key}`);
                  }}
                  data-testid="queue-row"
                  data-key={ticket.key}
                >
                  <Table.Td className={classes.nowrap}>
                    <Anchor component={Link} to={`/requests/${ticket.key}`} fw={600} ff="monospace" fz="sm" data-testid="queue-key">
                      {ticket.key}
                    </Anchor>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Text fz="sm" fw={500} lineClamp={1} title={ticket.summary}>
                      {ticket.summary}
                    </Text>
                    <Text fz="xs" c="dimmed" lineClamp={1}>
                      {ticket.desk.name} · {ticket.requestType.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <CriticalityBadge criticality={ticket.criticality} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={ticket.status} label={ticket.statusLabel} size="sm" />
                  </Table.Td>
                  <Table.Td className={classes.nowrap}>{ticket.organization.name}</Table.Td>
                  <Table.Td className={classes.nowrap}>{ticket.reporter.name}</Table.Td>
                  <Table.Td className={classes.nowrap}>
                    {ticket.assignee ? (
                      ticket.assignee.name
                    ) : (
                      <Text span c="dimmed" fz="sm">
                        {t('workspace.queue.unassigned')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className={classes.nowrap} c="dimmed">
                    {format.dateTime(ticket.createdAt)}
                  </Table.Td>
                  <Table.Td className={classes.nowrap} c="dimmed">
                    {format.dateTime(ticket.updatedAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore query={query} count={tickets.length} />
      </Paper>
    </Stack>
  );
}

/** /agent: the queue as a page of its own. */
export function AgentQueuePage() {
  const { t } = useTranslation();
  usePageTitle(t('workspace.queue.title'));
  return <AgentQueue />;
}
