import type { ReactNode } from 'react';
import { SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { ADMIN_SECTIONS } from '../admin/admin-sections.ts';
import { QueueOverview } from '../agent/queue-overview.tsx';
import { useMe } from '../session/session.ts';
import classes from './home-page.module.css';
import { usePageTitle } from '../../lib/page-title.ts';
import { PortalHome } from '../requests/portal-home.tsx';

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

function StaffHome({ me }: { me: Me }) {
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
              <LinkCard
                key={section.path}
                to={section.path}
                testId={`home-${section.testId}`}
                title={t(section.labelKey)}
                text={t(section.hintKey)}
              />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  usePageTitle(t('nav.home'));
  if (!me) return null;
  return me.role === 'customer' ? <PortalHome me={me} /> : <StaffHome me={me} />;
}
