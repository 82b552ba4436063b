import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link, Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/page-title.ts';
import { useMe } from '../session/session.ts';
import { CustomerRequestList } from './request-list.tsx';

/** "My requests" of the top bar (customers). Agents have their queues in their workspace. */
export function MyRequestsPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  usePageTitle(t('requests.nav.myRequests'));
  if (me && me.role !== 'customer') return <Navigate to="/" replace />;
  return (
    <Stack gap="lg" data-testid="page-my-requests">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            {t('requests.nav.myRequests')}
          </Title>
          {me?.organization && (
            <Text c="dimmed" fz="sm" mt={2}>
              {me.organization.name}
            </Text>
          )}
        </div>
        <Button component={Link} to="/" data-testid="new-request">
          {t('requests.home.open')}
        </Button>
      </Group>
      <CustomerRequestList />
    </Stack>
  );
}
