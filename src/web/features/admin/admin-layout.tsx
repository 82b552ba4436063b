import type { ReactNode } from 'react';
import { Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ADMIN_SECTIONS } from './admin-sections.ts';
import classes from './admin-layout.module.css';
import { usePageTitle } from '../../lib/page-title.ts';

/** The section the address is in: the longest matching path (/admin/sla/calendar, not /admin/sla). */
function currentSection(pathname: string) {
  return [...ADMIN_SECTIONS].sort((a, b) => b.path.length - a.path.length).find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}

/**
 * Every section in reach without scrolling sideways: tabs that wrap onto a second line on a laptop,
 * a drop-down list of the sections on a phone.
 */
export function AdminLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const current = currentSection(location.pathname);
  return (
    <Stack gap="lg">
      <div>
        <Text fz="xs" tt="uppercase" fw={700} c="dimmed" lts={0.6} visibleFrom="sm">
          {t('nav.administration')}
        </Text>
        <nav aria-label={t('nav.administration')} className={classes.nav}>
          <Group gap={0} wrap="wrap" visibleFrom="sm">
            {ADMIN_SECTIONS.map((section) => (
              <NavLink key={section.path} to={section.path} end className={classes.tab} data-testid={section.testId}>
                {t(section.labelKey)}
              </NavLink>
            ))}
          </Group>
          <NativeSelect
            hiddenFrom="sm"
            label={t('nav.administration')}
            value={current?.path ?? ''}
            onChange={(event) => void navigate(event.currentTarget.value)}
            data={ADMIN_SECTIONS.map((section) => ({ value: section.path, label: t(section.labelKey) }))}
            data-testid="admin-section-select"
          />
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
