import {
  ActionIcon,
  Alert,
  Button,
  Center,
  Divider,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useMarkRead, useNotificationList, useUnreadCount, type Notification } from './notifications-api.ts';
import classes from './notification-bell.module.css';

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      aria-hidden
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

function Item({ notification, onOpen }: { notification: Notification; onOpen: (n: Notification) => void }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const unread = notification.readAt === null;
  return (
    <UnstyledButton className={classes.item} data-unread={unread || undefined} onClick={() => onOpen(notification)} data-testid="notification-item">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <span className={classes.dot} data-unread={unread || undefined} aria-hidden />
        <div style={{ minWidth: 0 }}>
          <Text fz="sm" fw={unread ? 600 : 400} lineClamp={2}>
            {notification.title}
            {unread && <VisuallyHidden> ({t('notifications.bell.unread')})</VisuallyHidden>}
          </Text>
          <Text fz="xs" c="dimmed">
            {format.dateTime(notification.createdAt)}
          </Text>
        </div>
      </Group>
    </UnstyledButton>
  );
}

/** The bell of the header: the unread count (polled), the latest notifications; opening one marks it read. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount(true);
  const list = useNotificationList(opened);
  const markRead = useMarkRead();
  const count = unread.data?.unread ?? 0;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const open = (n: Notification) => {
    if (n.readAt === null) markRead.mutate([n.id]);
    setOpened(false);
    void navigate(n.link);
  };

  return (
    // The popup's ARIA attributes (aria-haspopup, aria-expanded, aria-controls) go on the button the
    // Popover targets, not on the badge around it: a <div> may not carry them.
    <Indicator label={count > 99 ? '99+' : count} size={18} color="red" disabled={count === 0} offset={4} data-testid="notification-count">
      <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withinPortal>
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={count > 0 ? t('notifications.bell.labelUnread', { count }) : t('notifications.bell.label')}
            data-testid="notification-bell"
          >
            <BellIcon />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0} data-testid="notification-panel">
          <Group justify="space-between" px="md" py="xs">
            <Text fw={600} fz="sm">
              {t('notifications.bell.title')}
            </Text>
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={count === 0}
              loading={markRead.isPending}
              onClick={() => markRead.mutate(undefined)}
              data-testid="notification-mark-all"
            >
              {t('notifications.bell.markAllRead')}
            </Button>
          </Group>
          <Divider />
          <ScrollArea.Autosize mah={420}>
            {list.isPending ? (
              <Center py="lg">
                <Loader size="sm" aria-label={t('common.loading')} />
              </Center>
            ) : list.isError ? (
              <Alert color="red" variant="light" m="sm" role="alert">
                {errorMessage(list.error)}
              </Alert>
            ) : items.length === 0 ? (
              <Text c="dimmed" fz="sm" ta="center" py="lg" data-testid="notification-empty">
                {t('notifications.bell.empty')}
              </Text>
            ) : (
              <Stack gap={0}>
                {items.map((n) => (
                  <Item key={n.id} notification={n} onOpen={open} />
                ))}
                {list.hasNextPage && (
                  <Button variant="subtle" size="xs" m="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                    {t('common.loadMore')}
                  </Button>
                )}
              </Stack>
            )}
          </ScrollArea.Autosize>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
