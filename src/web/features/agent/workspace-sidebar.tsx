import { useState, type ReactNode } from 'react';
import { ActionIcon, Badge, Button, Group, NavLink, Paper, Popover, Skeleton, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { QUEUES, SAVED_VIEW_NAME_MAX, type Queue } from '#shared/tickets-api.ts';
import { errorMessage, isApiError } from '../../lib/errors.ts';
import { maxLength } from '../../lib/validation.ts';
import { Link } from 'react-router';
import { useTriageCount } from '../inbound/inbound-api.ts';
import { useDeleteView, useQueueCounts, useSaveView, useSavedViews } from './workspace-api.ts';
import classes from './workspace.module.css';

/** The queues whose count is an alarm when it is not zero, with their colour. */
export const ALERT_QUEUES: Partial<Record<Queue, string>> = { sla_at_risk: 'orange', sla_breached: 'red' };

/** The queues with their counts (over the chosen desk), and "all requests" of the desks. `heading`: false where a title already names them (the phone's drawer). */
export function QueueNav({
  active,
  deskId,
  heading = true,
  onChoose,
}: {
  active: Queue | null;
  deskId: string | undefined;
  heading?: boolean;
  onChoose: (queue: Queue | null) => void;
}) {
  const { t } = useTranslation();
  const counts = useQueueCounts(deskId);
  const countOf = (queue: Queue) => counts.data?.items.find((item) => item.queue === queue)?.count;
  return (
    <Stack gap={2} data-testid="queue-nav" aria-label={t('workspace.list.queues')} component="nav">
      {heading && (
        <Text fz="xs" fw={700} c="dimmed" tt="uppercase" px="xs" mb={4}>
          {t('workspace.list.queues')}
        </Text>
      )}
      {QUEUES.map((queue) => {
        const count = countOf(queue);
        const color = ALERT_QUEUES[queue];
        return (
          <NavLink
            key={queue}
            active={active === queue}
            onClick={() => onChoose(queue)}
            py={5}
            label={t(`workspace.list.queueNames.${queue}`)}
            rightSection={
              counts.isPending ? (
                <Skeleton h={16} w={24} radius="xl" />
              ) : (
                <Badge size="sm" variant={color && count ? 'filled' : 'light'} color={color && count ? color : 'gray'} data-testid="queue-count">
                  {count ?? '–'}
                </Badge>
              )
            }
            data-testid={`queue-${queue}`}
            data-count={count}
            aria-current={active === queue ? 'page' : undefined}
          />
        );
      })}
      <NavLink
        active={active === null}
        onClick={() => onChoose(null)}
        py={5}
        label={t('workspace.list.queueNames.any')}
        data-testid="queue-any"
        aria-current={active === null ? 'page' : undefined}
      />
      <TriageLink deskId={deskId} />
    </Stack>
  );
}

/** The e-mails held for an agent (an unknown sender at a desk's address), with how many wait. */
function TriageLink({ deskId }: { deskId: string | undefined }) {
  const { t } = useTranslation();
  const triage = useTriageCount(deskId);
  const count = triage.data ? `${triage.data.count}${triage.data.more ? '+' : ''}` : null;
  return (
    <NavLink
      component={Link}
      to="/agent/triage"
      py={5}
      label={t('inbound.triage.nav')}
      rightSection={
        count !== null && (
          <Badge size="sm" variant={triage.data?.count ? 'filled' : 'light'} color={triage.data?.count ? 'guichet' : 'gray'} data-testid="triage-count">
            {count}
          </Badge>
        )
      }
      data-testid="nav-triage"
    />
  );
}

function SaveViewForm({ query, onDone }: { query: string; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveView();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!name.trim()) {
      setError(t('workspace.list.viewNameRequired'));
      return;
    }
    const tooLong = maxLength(SAVED_VIEW_NAME_MAX)(name);
    if (tooLong) {
      setError(tooLong);
      return;
    }
    try {
      const view = await save.mutateAsync({ name: name.trim(), query });
      notifications.show({ color: 'green', message: t('workspace.list.viewSaved', { name: view.name }) });
      onDone();
    } catch (e) {
      // The server names the field (a name already taken, a query it refuses): shown under the name.
      setError(isApiError(e) && e.field === 'query' ? e.message : errorMessage(e));
    }
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <TextInput
          label={t('workspace.list.viewName')}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          size="xs"
          data-autofocus
          data-testid="view-name"
        />
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button size="xs" type="submit" loading={save.isPending} data-testid="view-save-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The agent's saved views: open one (its filters replace the current ones), save the current filters, delete. */
export function SavedViews({ currentQuery, activeQuery, onOpen }: { currentQuery: string; activeQuery: string; onOpen: (query: string) => void }) {
  const { t } = useTranslation();
  const views = useSavedViews();
  const remove = useDeleteView();
  const [saving, setSaving] = useState(false);
  return (
    <Stack gap={2} data-testid="saved-views">
      <Group justify="space-between" px="xs" mb={4} mt="md" wrap="nowrap">
        <Text fz="xs" fw={700} c="dimmed" tt="uppercase">
          {t('workspace.list.views')}
        </Text>
        <Popover opened={saving} onChange={setSaving} position="bottom-start" width={260} trapFocus withinPortal>
          <Popover.Target>
            <Tooltip label={t('workspace.list.saveView')}>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={t('workspace.list.saveView')}
                onClick={() => setSaving((open) => !open)}
                data-testid="view-save"
              >
                <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden focusable="false">
                  <path d="M7 2v10M2 7h10" stroke="currentColor" strokeWidth="1.6" />
                </svg>
              </ActionIcon>
            </Tooltip>
          </Popover.Target>
          <Popover.Dropdown>{saving && <SaveViewForm query={currentQuery} onDone={() => setSaving(false)} />}</Popover.Dropdown>
        </Popover>
      </Group>
      {views.isPending && <Skeleton h={24} />}
      {views.data?.items.length === 0 && (
        <Text fz="xs" c="dimmed" px="xs">
          {t('workspace.list.noViews')}
        </Text>
      )}
      {views.data?.items.map((view) => (
        <Group key={view.id} gap={0} wrap="nowrap" className={classes.queue}>
          <NavLink
            label={view.name}
            active={view.query === activeQuery}
            onClick={() => onOpen(view.query)}
            py={4}
            style={{ flex: 1 }}
            data-testid="saved-view"
            data-name={view.name}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={t('workspace.list.deleteView', { name: view.name })}
            loading={remove.isPending && remove.variables === view.id}
            onClick={() =>
              remove.mutate(view.id, {
                onSuccess: () => notifications.show({ color: 'green', message: t('workspace.list.viewDeleted') }),
                onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
              })
            }
            data-testid="saved-view-delete"
          >
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden focusable="false">
              <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}

export function Sidebar(props: { id?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xs" className={classes.sidebar} id={props.id} data-testid="queue-sidebar">
      {props.children}
    </Paper>
  );
}
