import {
  AppShell,
  Avatar,
  Burger,
  Button,
  Container,
  Group,
  Menu,
  NavLink as MantineNavLink,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, type MouseEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useMatch } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { isWaiting, mustEnrollTwoFactor, useMe, useProfileLanguage, useSignOut } from '../features/session/session.ts';
import { Brand } from './brand.tsx';
import { LanguageSwitcher } from './language-switcher.tsx';
import { ADMIN_SECTIONS } from '../features/admin/admin-sections.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import classes from './app-layout.module.css';

const WORKSPACE_WIDTH = '120rem';
const MAIN_ID = 'main-content';

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
  if (!me || isWaiting(me) || mustEnrollTwoFactor(me)) return [];
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
    // No focus placeholder in the menu (a presentational element with a tabindex, which a role="menu" may not contain).
    <Menu position="bottom-end" width={240} withinPortal withInitialFocusPlaceholder={false}>
      <Menu.Target>
        {/* Named by its content (a hidden label), not by aria-label: the initials and the name it shows are
            then not text missing from its name (axe: label-content-name-mismatch). */}
        <UnstyledButton className={classes.userButton} data-testid="user-menu">
          <VisuallyHidden>{t('nav.userMenu', { name: me.name })}</VisuallyHidden>
          <Group gap={8} wrap="nowrap" aria-hidden>
            <Avatar color="guichet" radius="xl" size={30}>
              {initials(me.name)}
            </Avatar>
            <Text fz="sm" fw={500} visibleFrom="md" maw={160} truncate>
              {me.name}
            </Text>
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden focusable="false" className={classes.chevron}>
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
        {/* Mantine colours a menu item with shade 6 (3.3:1 on white): the theme's red text reads at AA. */}
        <Menu.Item color="red" c="red" data-testid="nav-logout" onClick={() => signOut.mutate()}>
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
  // The workspace is a tool for every width a desk has: there the page, and the header with it so
  // that the two line up, grow from the pages' 1320 px to 1920 px.
  const width = useMatch('/agent') ? WORKSPACE_WIDTH : 'xl';

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page (its path) closes the phone menu.
  useEffect(close, [location.pathname, close]);

  /** The skip link: focus (not only scroll) moves to the page's content, so the next Tab starts there. */
  const skipToContent = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const main = document.getElementById(MAIN_ID);
    main?.focus();
    main?.scrollIntoView();
  };

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={hasNavbar ? { width: 260, breakpoint: 'sm', collapsed: { mobile: !opened, desktop: true } } : undefined}
      padding={0}
    >
      <a href={`#${MAIN_ID}`} className={classes.skipLink} onClick={skipToContent} data-testid="skip-link">
        {t('nav.skipToContent')}
      </a>
      <AppShell.Header className={classes.header}>
        <Container size={width} h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="sm" wrap="nowrap" className={classes.start}>
              {hasNavbar && <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.openMenu')} />}
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
            <Group gap="xs" wrap="nowrap" className={classes.end}>
              <LanguageSwitcher />
              {me && !isWaiting(me) && !mustEnrollTwoFactor(me) && <NotificationBell />}
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
        // The menu of small screens: out of the tab order and of assistive technology while it is closed (always, on large screens).
        <AppShell.Navbar p="md" aria-label={t('nav.main')} inert={!opened} data-testid="mobile-menu">
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

      <AppShell.Main className={classes.main} id={MAIN_ID} tabIndex={-1}>
        <Container size={width} py={{ base: 'md', sm: 'xl' }} px={{ base: 'sm', sm: 'md' }}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
