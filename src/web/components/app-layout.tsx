import { AppShell, Avatar, Burger, Button, Container, Group, Menu, NavLink as MantineNavLink, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { isWaiting, useMe, useProfileLanguage, useSignOut } from '../features/session/session.ts';
import { Brand } from './brand.tsx';
import { LanguageSwitcher } from './language-switcher.tsx';
import { ADMIN_SECTIONS } from '../features/admin/admin-sections.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import classes from './app-layout.module.css';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

/** The top-level links this user may use. */
function useNavItems(me: Me | null | undefined) {
  const { t } = useTranslation();
  if (!me || isWaiting(me)) return [];
  const items = [{ to: '/', label: t('nav.home'), testId: 'nav-home', end: true }];
  if (me.role === 'customer') {
    items.push({ to: '/desks/consulting', label: t('requests.nav.consulting'), testId: 'nav-consulting', end: false });
    items.push({ to: '/requests', label: t('requests.nav.myRequests'), testId: 'nav-my-requests', end: true });
    items.push({ to: '/flex', label: t('flex.nav'), testId: 'nav-flex', end: false });
  }
  if (me.role !== 'customer') items.push({ to: '/agent', label: t('workspace.nav'), testId: 'nav-agent', end: false });
  if (me.role !== 'customer') items.push({ to: '/flex', label: t('flex.staffNav'), testId: 'nav-flex', end: false });
  if (me.role === 'admin') items.push({ to: '/admin', label: t('nav.administration'), testId: 'nav-admin', end: false });
  return items;
}

function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton className={classes.userButton} data-testid="user-menu" aria-label={t('nav.userMenu', { name: me.name })}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="guichet" radius="xl" size={30}>
              {initials(me.name)}
            </Avatar>
            <Text fz="sm" fw={500} visibleFrom="md" maw={160} truncate>
              {me.name}
            </Text>
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden focusable="false">
              <path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text fz="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.name}
          </Text>
          <Text fz="xs" c="dimmed" truncate>
            {me.email}
          </Text>
          <Text fz="xs" c="dimmed" truncate>
            {[t(`roles.${me.role}`), me.organization?.name].filter(Boolean).join(' · ')}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        {!isWaiting(me) && (
          <Menu.Item component={Link} to="/profile" data-testid="nav-profile">
            {t('nav.profile')}
          </Menu.Item>
        )}
        <Menu.Item color="red" data-testid="nav-logout" onClick={() => signOut.mutate()}>
          {t('nav.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  useProfileLanguage(me);
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const items = useNavItems(me);
  const hasNavbar = items.length > 0;

  useEffect(close, [location.pathname, close]);

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={hasNavbar ? { width: 260, breakpoint: 'sm', collapsed: { mobile: !opened, desktop: true } } : undefined}
      padding={0}
    >
      <AppShell.Header className={classes.header}>
        <Container size="xl" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap" gap="md">
            <Group gap="lg" wrap="nowrap">
              {hasNavbar && (
                <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.openMenu')} />
              )}
              <Brand />
              {hasNavbar && (
                <nav aria-label={t('nav.main')} className={classes.mainNav}>
                  <Group gap={4} visibleFrom="sm">
                    {items.map((item) => (
                      <NavLink key={item.to} to={item.to} end={item.end} className={classes.navLink} data-testid={item.testId}>
                        {item.label}
                      </NavLink>
                    ))}
                  </Group>
                </nav>
              )}
            </Group>
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitcher />
              {me && !isWaiting(me) && <NotificationBell />}
              {me ? (
                <UserMenu me={me} />
              ) : (
                <Button component={Link} to="/login" variant="subtle" size="sm" visibleFrom="xs" data-testid="nav-login">
                  {t('nav.login')}
                </Button>
              )}
            </Group>
          </Group>
        </Container>
      </AppShell.Header>

      {hasNavbar && me && (
        <AppShell.Navbar p="md" aria-label={t('nav.main')}>
          <Stack gap={2}>
            {items.map((item) => (
              <MantineNavLink
                key={item.to}
                component={NavLink}
                to={item.to}
                end={item.end}
                label={item.label}
                active={item.end ? location.pathname === item.to : location.pathname.startsWith(item.to)}
              />
            ))}
            {me.role === 'admin' &&
              ADMIN_SECTIONS.map((section) => (
                <MantineNavLink
                  key={section.path}
                  component={NavLink}
                  to={section.path}
                  label={t(section.labelKey)}
                  pl="xl"
                  active={location.pathname.startsWith(section.path)}
                />
              ))}
            <MantineNavLink component={NavLink} to="/profile" label={t('nav.profile')} active={location.pathname === '/profile'} />
          </Stack>
        </AppShell.Navbar>
      )}

      <AppShell.Main className={classes.main}>
        <Container size="xl" py={{ base: 'md', sm: 'xl' }} px={{ base: 'sm', sm: 'md' }}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
