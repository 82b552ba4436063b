import type { ReactNode } from 'react';
import { SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { ADMIN_SECTIONS } from '../admin/admin-sections.ts';
import { QueueOverview } from '../agent/queue-overview.tsx';
import classes from './home-page.module.css';

function LinkCard({ to, title, text, testId }: { to: string; title: ReactNode; text: ReactNode; testId: string }) {
  return (
    <UnstyledButton component={Link} to={to} className={classes.linkCard} data-testid={testId}>
      <Text fw={600}>{title}</Text>
      <Text fz="sm" c="dimmed" mt={4}>
        {text}
      </Text>
    </UnstyledButton>
  );
}

/** The home of agents and administrators: their queues, and for administrators the administration. */
export default function StaffHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" data-testid="page-home-staff">
      <div>
        <Title order={1} fz={28}>
          {t('home.welcome', { name: me.name })}
        </Title>
        <Text c="dimmed" mt={4}>
          {t(`roles.${me.role}`)}
        </Text>
      </div>
      <QueueOverview />
      {me.role === 'admin' && (
        <Stack gap="sm">
          <Title order={2} fz="lg">
            {t('nav.administration')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
            {ADMIN_SECTIONS.map((section) => (
              <LinkCard key={section.path} to={section.path} testId={`home-${section.testId}`} title={t(section.labelKey)} text={t(section.hintKey)} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
