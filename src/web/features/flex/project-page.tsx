import { Anchor, Badge, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatMinutes } from '#shared/durations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { isApiError, errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { useProject } from './flex-api.ts';
import { ListTable } from '../../components/list-table.tsx';

/** /projects/:id: a consulting project's requests and the time logged on them. */
export function ProjectPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const project = useProject(id);
  const format = useDateFormat();
  usePageTitle(project.data ? t('flex.project.title', { name: project.data.name }) : null);
  if (project.isPending) return <Skeleton h={200} />;
  if (project.isError)
    return <ErrorAlert message={isApiError(project.error, 'project.not_found') ? t('flex.project.notFound') : errorMessage(project.error)} />;
  const p = project.data;
  return (
    <Stack gap="md" data-testid="page-project">
      <div>
        <Group gap="sm">
          <Title order={1} fz={24}>
            {t('flex.project.title', { name: p.name })}
          </Title>
          {p.code && <Badge variant="outline">{p.code}</Badge>}
          <Badge color={p.status === 'active' ? 'green' : 'gray'} variant="light">
            {t(`flex.project.status.${p.status}`)}
          </Badge>
        </Group>
        <Text c="dimmed" fz="sm">
          {p.organizationName} · <span data-testid="project-total">{t('flex.project.total', { total: formatMinutes(p.totalMinutes) })}</span>
        </Text>
      </div>
      <Title order={2} fz="md">
        {t('flex.project.requests')}
      </Title>
      {p.requests.length === 0 ? (
        <Text c="dimmed">{t('flex.project.empty')}</Text>
      ) : (
        <ListTable striped data-testid="project-requests">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('flex.request')}</Table.Th>
              <Table.Th>{t('flex.date')}</Table.Th>
              <Table.Th ta="right">{t('flex.project.logged')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.requests.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/requests/${r.key}`} fz="sm">
                    {r.key}
                  </Anchor>{' '}
                  {r.summary}
                </Table.Td>
                <Table.Td>{format.date(r.createdAt)}</Table.Td>
                <Table.Td ta="right">{formatMinutes(r.loggedMinutes)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      )}
    </Stack>
  );
}
