import { Badge, Button, Group, SimpleGrid, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Queue } from '#shared/tickets-api.ts';
import { useQueueCounts } from './workspace-api.ts';
import { ALERT_QUEUES } from './workspace-sidebar.tsx';
import classes from '../home/home-page.module.css';

/** The queues an agent starts the day with, in the order of the work. */
const HOME_QUEUES: Queue[] = ['to_qualify', 'mine', 'unassigned', 'sla_at_risk', 'sla_breached', 'waiting_customer', 'waiting_third_party', 'all_open'];

/** The staff home's summary: each queue of the person's desks with its count, leading into the workspace. */
export function QueueOverview() {
  const { t } = useTranslation();
  const counts = useQueueCounts(undefined);
  const countOf = (queue: Queue) => counts.data?.items.find((item) => item.queue === queue)?.count;
  return (
    <Stack gap="sm" data-testid="home-queues">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} fz="lg">
            {t('home.queuesTitle')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('home.queuesHint')}
          </Text>
        </div>
        <Button component={Link} to="/agent" variant="light" data-testid="home-open-workspace">
          {t('home.openWorkspace')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {HOME_QUEUES.map((queue) => {
          const count = countOf(queue);
          const color = ALERT_QUEUES[queue];
          return (
            <UnstyledButton
              key={queue}
              component={Link}
              to={`/agent?queue=${queue}`}
              className={classes.linkCard}
              data-testid={`home-queue-${queue}`}
              data-count={count}
            >
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text fw={600} fz="sm">
                  {t(`workspace.list.queueNames.${queue}`)}
                </Text>
                {counts.isPending ? (
                  <Skeleton h={18} w={28} radius="xl" />
                ) : (
                  <Badge variant={color && count ? 'filled' : 'light'} color={color && count ? color : 'gray'}>
                    {count ?? '–'}
                  </Badge>
                )}
              </Group>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
