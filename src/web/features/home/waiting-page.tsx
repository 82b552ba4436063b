import { Button, Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe, useSignOut } from '../session/session.ts';
import { usePageTitle } from '../../lib/page-title.ts';

/** All a logged-in customer sees until an administrator attaches them to their organization. */
export function WaitingPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const signOut = useSignOut();
  usePageTitle(t('waiting.title'));
  return (
    <Center py={{ base: 'md', sm: 48 }} data-testid="page-waiting">
      <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 40 }} maw={560} w="100%">
        <Stack gap="md" align="flex-start">
          <ThemeIcon size={44} radius="xl" variant="light" color="yellow" aria-hidden>
            <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
              <circle cx="12" cy="12" r="9" />
              <path d="M12 7v5l3 2" />
            </svg>
          </ThemeIcon>
          <Title order={1} fz={24}>
            {t('waiting.title')}
          </Title>
          <Text>{t('waiting.text')}</Text>
          {me && (
            <Text c="dimmed" fz="sm">
              {t('waiting.account', { email: me.email })}
            </Text>
          )}
          <Text c="dimmed" fz="sm">
            {t('waiting.hint')}
          </Text>
          <Button variant="default" onClick={() => signOut.mutate()} loading={signOut.isPending} data-testid="waiting-logout">
            {t('nav.logout')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
