import { Alert, Badge, Box, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SlaClockView, TicketSla } from '#shared/sla-api.ts';
import { useSlaFormat } from './sla-format.ts';

const STATE_COLORS: Record<SlaClockView['state'], string> = {
  running: 'green',
  at_risk: 'orange',
  breached: 'red',
  paused: 'gray',
  met: 'gray',
  canceled: 'gray',
};

/** What the customer is promised, in their words: when an answer comes, when the resolution is targeted, and a pause while we wait for them. */
export function CustomerSla({ sla }: { sla: TicketSla }) {
  const { t } = useTranslation();
  const format = useSlaFormat();
  const c = sla.customer;
  return (
    <Card withBorder padding="sm" data-testid="sla-customer" data-paused={c.pausedWaitingForYou ? 'true' : 'false'}>
      <Text fz="xs" fw={700} c="dimmed" tt="uppercase" mb={6} component="h2">
        {t('sla.request.title')}
      </Text>
      <Stack gap={4}>
        {c.answerExpectedBy ? (
          <Text fz="sm" data-testid="sla-answer-by">
            {t('sla.request.answerBy', { date: format.dateTime(c.answerExpectedBy) })}
          </Text>
        ) : (
          c.answeredAt && (
            <Text fz="sm" data-testid="sla-answered">
              {t('sla.request.answeredOn', { date: format.dateTime(c.answeredAt) })}
            </Text>
          )
        )}
        {c.resolutionTargetedBy && (
          <Text fz="sm" data-testid="sla-resolution-by">
            {t('sla.request.resolutionBy', { date: format.dateTime(c.resolutionTargetedBy) })}
          </Text>
        )}
        {c.pausedWaitingForYou && (
          <Alert color="orange" variant="light" p="xs" mt={4} title={t('sla.request.pausedTitle')} data-testid="sla-paused">
            <Text fz="sm">{t('sla.request.pausedText')}</Text>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function Clock({ clock }: { clock: SlaClockView }) {
  const { t } = useTranslation();
  const format = useSlaFormat();
  const color = STATE_COLORS[clock.state];
  const stopped = clock.stoppedAt !== null;
  return (
    <Box
      data-testid={`sla-clock-${clock.kind}`}
      data-state={clock.state}
      data-cycle={clock.cycle}
      pl="xs"
      py={4}
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-6)` }}
    >
      <Group justify="space-between" gap={6} wrap="nowrap">
        <Text fz="sm" fw={600}>
          {t(`sla.request.clocks.${clock.kind}`)}
          {clock.kind === 'resolution' && (
            <Text span fz="xs" c="dimmed" fw={400}>
              {' '}
              · {t('sla.request.cycle', { cycle: clock.cycle })}
            </Text>
          )}
        </Text>
        <Badge
          color={color}
          variant={clock.state === 'met' || clock.state === 'canceled' ? 'outline' : 'light'}
          radius="sm"
          tt="none"
          data-testid="sla-clock-state"
        >
          {t(`sla.request.states.${clock.state}`)}
        </Badge>
      </Group>
      {!stopped && (
        <Text fz="sm" c={clock.remainingMinutes < 0 ? 'red' : undefined} data-testid="sla-clock-remaining">
          {clock.remainingMinutes < 0
            ? t('sla.request.overdue', { time: format.duration(clock.remainingMinutes) })
            : t('sla.request.remaining', { time: format.duration(clock.remainingMinutes) })}
        </Text>
      )}
      <Text fz="xs" c="dimmed">
        {t('sla.request.target', { time: format.duration(clock.targetMinutes) })}
        {' · '}
        {stopped
          ? `${t('sla.request.stoppedAt')} ${format.dateTime(clock.stoppedAt)}`
          : `${t('sla.request.deadline')} ${clock.deadline ? format.dateTime(clock.deadline) : t('sla.request.noDeadline')}`}
      </Text>
    </Box>
  );
}

/** Agents: both clocks (engagement, then each resolution cycle, the current one last), colour-coded by state. */
export function AgentSla({ sla }: { sla: TicketSla }) {
  const { t } = useTranslation();
  const clocks = sla.clocks ?? [sla.engagement, sla.resolution].filter((c): c is SlaClockView => Boolean(c));
  if (clocks.length === 0) return null;
  return (
    <Card withBorder padding="sm" data-testid="sla-agent">
      <Text fz="xs" fw={700} c="dimmed" tt="uppercase" mb={6} component="h2">
        {t('sla.request.title')}
      </Text>
      <Stack gap="xs">
        {clocks.map((clock) => (
          <Clock key={`${clock.kind}-${clock.cycle}`} clock={clock} />
        ))}
      </Stack>
    </Card>
  );
}
