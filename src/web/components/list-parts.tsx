import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors.ts';

type ListQuery = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

/** Loading, failure and emptiness of a list, as a row spanning the table. */
export function ListStatusRow({ query, colSpan, empty, count }: { query: ListQuery; colSpan: number; empty: ReactNode; count: number }) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Table.Tr>
        <Table.Td colSpan={colSpan}>
          <Center py="xl">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        </Table.Td>
      </Table.Tr>
    );
  }
  if (query.isError && count === 0) {
    return (
      <Table.Tr>
        <Table.Td colSpan={colSpan}>
          <Alert color="red" variant="light" role="alert" my="sm" data-testid="list-error">
            <Group justify="space-between">
              <Text fz="sm">{errorMessage(query.error)}</Text>
              <Button size="xs" variant="white" color="red" onClick={() => void query.refetch()}>
                {t('common.retry')}
              </Button>
            </Group>
          </Alert>
        </Table.Td>
      </Table.Tr>
    );
  }
  if (count === 0) {
    return (
      <Table.Tr>
        <Table.Td colSpan={colSpan}>
          <Text c="dimmed" ta="center" py="xl" fz="sm" data-testid="list-empty">
            {empty}
          </Text>
        </Table.Td>
      </Table.Tr>
    );
  }
  return null;
}

/** "Load more" under a keyset-paginated list. */
export function LoadMore({ query, count }: { query: ListQuery; count: number }) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <Group justify="space-between" mt="md">
      <Text fz="sm" c="dimmed" data-testid="list-count">
        {t('common.shown', { count })}
      </Text>
      {query.hasNextPage && (
        <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} data-testid="load-more">
          {t('common.loadMore')}
        </Button>
      )}
    </Group>
  );
}
