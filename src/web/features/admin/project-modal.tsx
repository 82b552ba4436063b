import { useState } from 'react';
import { Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createProjectSchema, updateProjectSchema } from '#shared/catalog-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyScopedApiError } from '../../lib/scoped-errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { catalogApi, catalogKeys, useOrganizationName, type Project } from './catalog-api.ts';
import { OrganizationSelect } from './organization-select.tsx';
import { useSubmission } from '../../lib/submission.ts';

type OrganizationRef = { id: string; name: string };
export type ProjectEditing = { project: Project | null; organization: OrganizationRef | null };

type ProjectValues = { organizationId: string | null; name: string; code: string };
/** An empty code is no code. */
const codeOf = (values: ProjectValues) => values.code.trim() || null;

function ProjectForm({ editing, onDone }: { editing: ProjectEditing; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const { project } = editing;
  const [organization, setOrganization] = useState<OrganizationRef | null>(editing.organization);
  const organizationName = useOrganizationName(project?.organizationId ?? '');
  const form = useForm({
    initialValues: { organizationId: project?.organizationId ?? editing.organization?.id ?? null, name: project?.name ?? '', code: project?.code ?? '' },
    validate: project
      ? schemaRules(updateProjectSchema, { payload: (values: ProjectValues) => ({ name: values.name, code: codeOf(values) }) })
      : schemaRules(createProjectSchema, {
          payload: (values: ProjectValues) => ({ organizationId: values.organizationId, name: values.name, code: codeOf(values) }),
          messages: { organizationId: 'catalog.projects.organizationRequired' },
        }),
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        const name = values.name.trim();
        const code = codeOf(values);
        try {
          const saved = project
            ? await catalogApi.updateProject(project.id, { name, code })
            : await submission({ organizationId: values.organizationId!, name, code }, (key) =>
                catalogApi.createProject({ organizationId: values.organizationId!, name, code }, key),
              );
          await queryClient.invalidateQueries({ queryKey: catalogKeys.projects });
          notifications.show({
            color: 'green',
            message: project ? i18n.t('catalog.projects.updated', { name: saved.name }) : i18n.t('catalog.projects.created', { name: saved.name }),
          });
          onDone();
        } catch (e) {
          setError(applyScopedApiError(form, e, 'catalog'));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        {project ? (
          <TextInput
            label={t('catalog.projects.organization')}
            value={organizationName ?? '…'}
            readOnly
            disabled
            description={t('catalog.projects.organizationFixed')}
          />
        ) : (
          <OrganizationSelect
            label={t('catalog.projects.organization')}
            placeholder={t('users.chooseOrganization')}
            required
            value={form.values.organizationId}
            current={organization}
            error={form.errors.organizationId}
            onChange={(chosen) => {
              setOrganization(chosen);
              form.setFieldValue('organizationId', chosen?.id ?? null);
            }}
            data-testid="project-organization"
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('catalog.projects.name')}
            required
            data-autofocus
            style={{ gridColumn: 'span 2' }}
            data-testid="project-name"
            {...form.getInputProps('name')}
          />
          <TextInput label={t('catalog.projects.code')} description={t('common.optional')} data-testid="project-code" {...form.getInputProps('code')} />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="project-save">
            {project ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a project (for the organization chosen in the list's filter, if any) or edits one. */
export function ProjectModal({ editing, onClose }: { editing: ProjectEditing | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={editing !== null}
      onClose={onClose}
      title={editing?.project ? t('catalog.projects.editTitle', { name: editing.project.name }) : t('catalog.projects.createTitle')}
      size="lg"
    >
      {editing && <ProjectForm key={editing.project?.id ?? 'new'} editing={editing} onDone={onClose} />}
    </Modal>
  );
}
