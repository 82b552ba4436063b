import type { ReactNode } from 'react';
import { Group, Stack, Text, Title } from '@mantine/core';
import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ADMIN_SECTIONS } from './admin-sections.ts';
import classes from './admin-layout.module.css';
import { usePageTitle } from '../../lib/page-title.ts';

export function AdminLayout() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <div>
        <Text fz="xs" tt="uppercase" fw={700} c="dimmed" lts={0.6}>
          {t('nav.administration')}
        </Text>
        <nav aria-label={t('nav.administration')} className={classes.nav}>
          <Group gap={0} wrap="nowrap">
            {ADMIN_SECTIONS.map((section) => (
              <NavLink key={section.path} to={section.path} end className={classes.tab} data-testid={section.testId}>
                {t(section.labelKey)}
              </NavLink>
            ))}
          </Group>
        </nav>
      </div>
      <Outlet />
    </Stack>
  );
}

/** The title row of an administration page, with its main action on the right. */
export function AdminPageHeader({ title, description, action }: { title: string; description?: string; action?: ReactNode }) {
  usePageTitle(title);
  return (
    <Group justify="space-between" align="flex-end" gap="sm">
      <div>
        <Title order={1} fz={26}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" fz="sm" mt={2} maw={720}>
            {description}
          </Text>
        )}
      </div>
      {action}
    </Group>
  );
}
