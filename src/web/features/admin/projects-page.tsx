import { useState } from 'react';
import { Anchor, Badge, Button, Code, Group, Input, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadMore, ListStatusRow } from '../../components/list-parts.tsx';
import { i18n } from '../../i18n/index.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { scopedErrorMessage } from '../../lib/scoped-errors.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { useAdminList } from './admin-api.ts';
import { catalogApi, catalogKeys, useOrganizationName, type Project, type ProjectStatus } from './catalog-api.ts';
import { OrganizationSelect } from './organization-select.tsx';
import { ProjectModal, type ProjectEditing } from './project-modal.tsx';
import { ListTable } from '../../components/list-table.tsx';

type StatusFilter = 'all' | ProjectStatus;

function OrganizationName({ id }: { id: string }) {
  const name = useOrganizationName(id);
  return <>{name ?? '…'}</>;
}

function useSetProjectStatus(project: Project) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: ProjectStatus) => catalogApi.updateProject(project.id, { status }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: catalogKeys.projects });
      notifications.show({
        color: 'green',
        message:
          saved.status === 'closed' ? i18n.t('catalog.projects.closed', { name: saved.name }) : i18n.t('catalog.projects.reopened', { name: saved.name }),
      });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: i18n.t('catalog.projects.updateFailed', { name: project.name }),
        message: scopedErrorMessage(error, 'catalog'),
      }),
  });
}

function ProjectRow({ project, onEdit }: { project: Project; onEdit: () => void }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const setStatus = useSetProjectStatus(project);
  const [confirming, setConfirming] = useState(false);
  const active = project.status === 'active';
  return (
    <Table.Tr data-testid="project-row" data-name={project.name} data-status={project.status}>
      <Table.Td>
        <Anchor component={Link} to={`/projects/${project.id}`} fz="sm" fw={500} data-testid="project-page-link">
          {project.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {project.code ? (
          <Code>{project.code}</Code>
        ) : (
          <Text c="dimmed" fz="sm">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td fz="sm">
        <OrganizationName id={project.organizationId} />
      </Table.Td>
      <Table.Td>
        <Badge variant={active ? 'light' : 'filled'} color={active ? 'green' : 'gray'} data-testid="project-status">
          {t(`catalog.projects.statuses.${project.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td fz="sm" c="dimmed">
        {format.date(project.createdAt)}
      </Table.Td>
      <Table.Td ta="right">
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="subtle" onClick={onEdit} aria-label={t('catalog.editLabel', { name: project.name })} data-testid="project-edit">
            {t('common.edit')}
          </Button>
          <Button
            size="xs"
            variant={active ? 'subtle' : 'light'}
            color={active ? 'red' : 'green'}
            loading={setStatus.isPending}
            onClick={() => (active ? setConfirming(true) : setStatus.mutate('active'))}
            aria-label={active ? t('catalog.projects.closeLabel', { name: project.name }) : t('catalog.projects.reopenLabel', { name: project.name })}
            data-testid={active ? 'project-close' : 'project-reopen'}
          >
            {active ? t('catalog.projects.close') : t('catalog.projects.reopen')}
          </Button>
        </Group>
        <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('catalog.projects.closeTitle', { name: project.name })}>
          <Stack gap="md">
            <Text fz="sm">{t('catalog.projects.closeText')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                data-testid="confirm-project-close"
                onClick={() => {
                  setConfirming(false);
                  setStatus.mutate('closed');
                }}
              >
                {t('catalog.projects.close')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

export function ProjectsPage() {
  const { t } = useTranslation();
  const [organization, setOrganization] = useState<{ id: string; name: string } | null>(null);
  const [status, setStatus] = useState<StatusFilter>('active');
  const query = useAdminList<Project>(catalogKeys.projects, '/admin/projects', {
    organizationId: organization?.id,
    status: status === 'all' ? undefined : status,
  });
  const projects = query.data?.pages.flatMap((page) => page.items) ?? [];
  const [editing, setEditing] = useState<ProjectEditing | null>(null);

  return (
    <>
      <AdminPageHeader
        title={t('catalog.projects.title')}
        description={t('catalog.projects.description')}
        action={
          <Button onClick={() => setEditing({ project: null, organization })} data-testid="project-create">
            {t('catalog.projects.create')}
          </Button>
        }
      />
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md" maw={760}>
          <OrganizationSelect
            label={t('catalog.projects.organization')}
            placeholder={t('users.allOrganizations')}
            value={organization?.id ?? null}
            current={organization}
            onChange={setOrganization}
            data-testid="project-organization-filter"
          />
          <Input.Wrapper label={t('catalog.status')}>
            <div>
              <SegmentedControl<StatusFilter>
                value={status}
                onChange={setStatus}
                data-testid="project-status-filter"
                data={[
                  { value: 'active', label: t('catalog.projects.statuses.active') },
                  { value: 'closed', label: t('catalog.projects.statuses.closed') },
                  { value: 'all', label: t('catalog.projects.allStatuses') },
                ]}
              />
            </div>
          </Input.Wrapper>
        </SimpleGrid>
        <ListTable verticalSpacing="sm" highlightOnHover data-testid="projects-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalog.projects.name')}</Table.Th>
              <Table.Th>{t('catalog.projects.code')}</Table.Th>
              <Table.Th>{t('catalog.projects.organization')}</Table.Th>
              <Table.Th>{t('catalog.status')}</Table.Th>
              <Table.Th>{t('common.createdAt')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ListStatusRow
              query={query}
              colSpan={6}
              count={projects.length}
              empty={organization || status !== 'all' ? t('common.noMatch') : t('catalog.projects.empty')}
            />
            {projects.map((project) => (
              <ProjectRow key={project.id} project={project} onEdit={() => setEditing({ project, organization: null })} />
            ))}
          </Table.Tbody>
        </ListTable>
        <LoadMore query={query} count={projects.length} />
      </Paper>
      <ProjectModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
