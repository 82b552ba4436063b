import { useEffect, useRef } from 'react';
import { Alert, Anchor, Badge, Box, Card, Grid, Group, List, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { CRITICALITIES } from '#shared/tickets.ts';
import { errorMessage } from '../../lib/errors.ts';
import { CriticalityBadge, useTicketLabels } from './labels.tsx';
import { useCatalog, type CatalogDesk, type CatalogRequestType } from './requests-api.ts';
import { CustomerRequestList } from './request-list.tsx';
import classes from './requests.module.css';
import { LowBalanceBanner } from '../flex/low-balance-banner.tsx';

const Chevron = () => (
  <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden focusable="false">
    <path d="m9 6 6 6-6 6" />
  </svg>
);

/** A request type: a button to its create form, or, when the organization may not use it, disabled with the reason. */
function RequestTypeButton({ type }: { type: CatalogRequestType }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const testId = `request-type-${type.slug}`;
  if (!type.available) {
    return (
      <Box className={classes.typeRow} data-disabled aria-disabled="true" data-testid={testId} data-available="false" role="group" aria-label={type.name}>
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text fw={600} fz="sm" c="dimmed">
            {type.name}
          </Text>
          <Badge size="sm" variant="default" radius="sm" tt="none" fw={500}>
            {t('requests.home.unavailable')}
          </Badge>
        </Group>
        <Text fz="xs" c="dimmed" mt={2} data-testid="request-type-unavailable-reason">
          {type.unavailableReason}
        </Text>
      </Box>
    );
  }
  return (
    <UnstyledButton className={classes.typeRow} onClick={() => void navigate(`/requests/new?type=${type.id}`)} data-testid={testId} data-available="true">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <div>
          <Text fw={600} fz="sm" c="guichet.8">
            {type.name}
          </Text>
          <Text fz="xs" c="dimmed" mt={2}>
            {type.description}
          </Text>
        </div>
        <Box c="guichet.7">
          <Chevron />
        </Box>
      </Group>
    </UnstyledButton>
  );
}

export function DeskCard({ desk, highlighted = false }: { desk: CatalogDesk; highlighted?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [highlighted]);
  return (
    <Card withBorder padding="md" ref={ref} className={classes.deskCard} data-highlighted={highlighted || undefined} data-testid={`desk-${desk.slug}`}>
      <Stack gap="sm" h="100%">
        <div>
          <Title order={2} fz="lg">
            {desk.name}
          </Title>
          <Text fz="sm" c="dimmed" mt={2}>
            {desk.description}
          </Text>
        </div>
        <Stack gap={8}>
          {desk.requestTypes.map((type) => (
            <RequestTypeButton key={type.id} type={type} />
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}

export function Guidance() {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" data-testid="guidance">
      <Title order={2} fz="md" mb={6}>
        {t('requests.home.guidanceTitle')}
      </Title>
      <List spacing={6} fz="sm" size="sm">
        <List.Item>{t('requests.home.guidanceSupport')}</List.Item>
        <List.Item>{t('requests.home.guidanceConsulting')}</List.Item>
      </List>
      <Text fz="xs" c="dimmed" mt="xs">
        {t('requests.home.guidanceAssistance')}
      </Text>
      <Box mt="sm" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
        <Anchor component={Link} to="/escalation" fz="sm" fw={500} data-testid="escalation-link">
          {t('requests.home.escalation')} →
        </Anchor>
        <Text fz="xs" c="dimmed">
          {t('requests.home.escalationHint')}
        </Text>
      </Box>
    </Card>
  );
}

export function CriticalityGuide() {
  const { t } = useTranslation();
  const labels = useTicketLabels('customer');
  return (
    <Card withBorder padding="md">
      <Title order={2} fz="md" mb={8}>
        {t('requests.home.criticalityTitle')}
      </Title>
      <Stack gap={6}>
        {CRITICALITIES.map((level) => (
          <Group key={level} gap="xs" wrap="nowrap" align="flex-start">
            <Box w={104} style={{ flexShrink: 0 }}>
              <CriticalityBadge criticality={level} size="sm" />
            </Box>
            <Text fz="xs" c="dimmed" lh={1.4}>
              {labels.definition(level)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

export function DesksSkeleton() {
  return (
    <Grid>
      {[0, 1].map((i) => (
        <Grid.Col key={i} span={{ base: 12, md: 6 }}>
          <Skeleton h={220} radius="md" />
        </Grid.Col>
      ))}
    </Grid>
  );
}

/** The customer's home: the desks with their request types, the guidance, and their requests. */
export function PortalHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  const catalog = useCatalog();
  return (
    <Stack gap="lg" data-testid="page-home-customer">
      <div>
        <Title order={1} fz={26}>
          {t('requests.home.welcome', { name: me.name })}
        </Title>
        <Text c="dimmed" fz="sm" mt={2}>
          {me.organization ? `${me.organization.name} · ` : ''}
          {t('requests.home.intro')}
        </Text>
      </div>
      <LowBalanceBanner organizationId={me.organization?.id} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          {catalog.isPending ? (
            <DesksSkeleton />
          ) : catalog.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(catalog.error)}
            </Alert>
          ) : (
            <Grid gap="md">
              {catalog.data.desks.map((desk) => (
                <Grid.Col key={desk.id} span={{ base: 12, md: 6 }}>
                  <DeskCard desk={desk} />
                </Grid.Col>
              ))}
            </Grid>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Guidance />
            <CriticalityGuide />
          </Stack>
        </Grid.Col>
      </Grid>
      <CustomerRequestList title={t('requests.home.requestsTitle')} />
    </Stack>
  );
}
