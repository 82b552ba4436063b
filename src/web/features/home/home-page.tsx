import type { ReactNode } from 'react';
import { Badge, Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { ADMIN_SECTIONS } from '../admin/admin-sections.ts';
import { useMe } from '../session/session.ts';
import classes from './home-page.module.css';
import { usePageTitle } from '../../lib/page-title.ts';

function DeskCard({ title, text, testId }: { title: string; text: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" data-testid={testId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} fz="lg">
            {title}
          </Title>
          <Badge variant="light" color="gray">
            {t('home.comingSoon')}
          </Badge>
        </Group>
        <Text fz="sm" c="dimmed">
          {text}
        </Text>
      </Stack>
    </Card>
  );
}

function CustomerHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" data-testid="page-home-customer">
      <div>
        <Title order={1} fz={28}>
          {t('home.welcome', { name: me.name })}
        </Title>
        {me.organization && (
          <Text c="dimmed" mt={4}>
            {t('home.organization', { organization: me.organization.name })}
          </Text>
        )}
      </div>
      <Text maw={720}>{t('home.customerIntro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <DeskCard testId="desk-support" title={t('home.supportTitle')} text={t('home.supportText')} />
        <DeskCard testId="desk-consulting" title={t('home.consultingTitle')} text={t('home.consultingText')} />
      </SimpleGrid>
    </Stack>
  );
}

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
      <Card withBorder padding="lg">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Title order={2} fz="lg">
              {t('home.workspaceTitle')}
            </Title>
            <Text fz="sm" c="dimmed" mt={4} maw={640}>
              {t('home.workspaceText')}
            </Text>
          </div>
          <Badge variant="light" color="gray">
            {t('home.comingSoon')}
          </Badge>
        </Group>
      </Card>
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
  return me.role === 'customer' ? <CustomerHome me={me} /> : <StaffHome me={me} />;
}
