import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Card, Grid, Group, MultiSelect, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BODY_MAX, SUMMARY_MAX } from '#shared/tickets-api.ts';
import type { Criticality } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useSubmission } from '../../lib/submission.ts';
import { allOf, maxLength, required } from '../../lib/validation.ts';
import { useMe } from '../session/session.ts';
import { AttachmentsInput, useUploads } from './attachments-input.tsx';
import { CriticalityPicker } from './criticality-picker.tsx';
import { MarkdownEditor } from './markdown-editor.tsx';
import { Guidance } from './portal-home.tsx';
import { requestsApi, useCatalog, useMembers, useRequestCreated, type CatalogDesk, type CatalogRequestType, type PortalCatalog } from './requests-api.ts';
import { FlexBalanceNotice } from '../flex/flex-balance-notice.tsx';

type Values = {
  summary: string;
  description: string;
  criticality: Criticality | null;
  projectId: string | null;
  participantIds: string[];
};

function PageHeader({ desk, type }: { desk?: CatalogDesk; type?: CatalogRequestType }) {
  const { t } = useTranslation();
  const title = type ? t('requests.create.titleType', { type: type.name }) : t('requests.create.title');
  usePageTitle(title);
  return (
    <div>
      <Breadcrumbs separator="›" fz="sm">
        <Anchor component={Link} to="/" fz="sm">
          {t('nav.home')}
        </Anchor>
        {desk && (
          <Anchor component={Link} to={`/desks/${desk.slug}`} fz="sm">
            {desk.name}
          </Anchor>
        )}
        <Text fz="sm" c="dimmed">
          {t('requests.create.title')}
        </Text>
      </Breadcrumbs>
      <Title order={1} fz={26} mt={4}>
        {title}
      </Title>
    </div>
  );
}

function CreateForm({ catalog, desk, type }: { catalog: PortalCatalog; desk: CatalogDesk; type: CatalogRequestType }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const requestCreated = useRequestCreated();
  const { data: me } = useMe();
  const members = useMembers();
  const uploads = useUploads();
  const submission = useSubmission();
  const [error, setError] = useState<string | null>(null);
  const [attachmentsError, setAttachmentsError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { summary: '', description: '', criticality: null, projectId: null, participantIds: [] },
    validate: {
      summary: allOf(required, maxLength(SUMMARY_MAX)),
      description: allOf(required, maxLength(BODY_MAX)),
      criticality: (value) => (value ? null : i18n.t('requests.create.criticalityRequired')),
      projectId: (value) => (type.requiresProject && !value ? i18n.t('requests.create.projectRequired') : null),
    },
  });
  const colleagues = (members.data?.items ?? []).filter((member) => member.id !== me?.id);

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setAttachmentsError(null);
    if (uploads.busy) {
      setAttachmentsError(t('requests.attachments.busy'));
      return;
    }
    try {
      const body = {
        requestTypeId: type.id,
        summary: values.summary.trim(),
        description: values.description.trim(),
        criticality: values.criticality!,
        projectId: type.requiresProject ? values.projectId : null,
        attachmentIds: uploads.ids,
        participantIds: values.participantIds,
      };
      const detail = await submission(body, (key) => requestsApi.create(body, key));
      requestCreated();
      notifications.show({ color: 'green', message: i18n.t('requests.create.created', { key: detail.key }) });
      void navigate(`/requests/${detail.key}`);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'attachmentIds') setAttachmentsError(errorMessage(e));
      else setError(applyApiError(form, e));
    }
  });

  return (
    <form noValidate onSubmit={submit} data-testid="create-request-form">
      <Stack gap="md">
        <ErrorAlert message={error} />
        {type.requiresFlexContract && <FlexBalanceNotice organizationId={me?.organization?.id} />}
        <TextInput
          label={t('requests.create.summary')}
          description={t('requests.create.summaryHint')}
          required
          data-autofocus
          autoFocus
          data-testid="request-summary"
          rightSectionWidth={72}
          rightSection={
            <Text fz={11} c={form.getValues().summary.trim().length > SUMMARY_MAX ? 'red' : 'dimmed'} data-testid="request-summary-counter">
              {t('requests.create.summaryCounter', { length: form.getValues().summary.trim().length, max: SUMMARY_MAX })}
            </Text>
          }
          {...form.getInputProps('summary')}
        />
        {type.requiresProject && (
          <Select
            label={t('requests.create.project')}
            description={t('requests.create.projectHint')}
            placeholder={t('requests.create.projectPlaceholder')}
            required
            data={catalog.projects.map((project) => ({ value: project.id, label: project.code ? `${project.name} (${project.code})` : project.name }))}
            allowDeselect={false}
            data-testid="request-project"
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('projectId')}
          />
        )}
        <MarkdownEditor
          label={t('requests.create.description')}
          description={t('requests.create.descriptionHint')}
          required
          minRows={8}
          testId="request-description"
          value={form.getValues().description}
          onChange={(value) => form.setFieldValue('description', value)}
          error={form.errors.description}
        />
        <CriticalityPicker
          label={t('requests.criticality.label')}
          description={t('requests.criticality.hint')}
          required
          value={form.getValues().criticality}
          onChange={(value) => form.setFieldValue('criticality', value)}
          error={form.errors.criticality}
        />
        <MultiSelect
          label={t('requests.create.participants')}
          description={t('requests.create.participantsHint')}
          placeholder={form.getValues().participantIds.length ? undefined : t('requests.create.participantsPlaceholder')}
          data={colleagues.map((member) => ({ value: member.id, label: member.name }))}
          searchable
          clearable
          hidePickedOptions
          nothingFoundMessage={t('common.noMatch')}
          data-testid="request-participants"
          {...form.getInputProps('participantIds')}
        />
        <AttachmentsInput uploads={uploads} error={attachmentsError} />
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" component={Link} to={`/desks/${desk.slug}`}>
            {t('requests.create.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} disabled={uploads.busy} data-testid="request-submit">
            {t('requests.create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** /requests/new?type=<requestTypeId>: a customer opens a request of one type. */
export function CreateRequestPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const typeId = params.get('type') ?? '';
  const { data: me } = useMe();
  const customer = me?.role === 'customer';
  const catalog = useCatalog({ enabled: customer });
  const desk = catalog.data?.desks.find((d) => d.requestTypes.some((type) => type.id === typeId));
  const type = desk?.requestTypes.find((r) => r.id === typeId);

  if (!customer) {
    return (
      <Stack gap="lg">
        <PageHeader />
        <Alert color="blue" variant="light" data-testid="create-staff-only">
          {t('requests.create.staffOnly')}
        </Alert>
      </Stack>
    );
  }
  if (catalog.isPending) return <FullPageLoader />;
  if (catalog.isError) {
    return (
      <Stack gap="lg">
        <PageHeader />
        <ErrorAlert message={errorMessage(catalog.error)} />
      </Stack>
    );
  }

  let body: ReactNode;
  if (!desk || !type) {
    body = (
      <Alert color="red" variant="light" data-testid="create-unknown-type">
        <Text fz="sm">{t('requests.create.unknownType')}</Text>
        <Anchor component={Link} to="/" fz="sm">
          {t('requests.create.backHome')}
        </Anchor>
      </Alert>
    );
  } else if (!type.available) {
    body = (
      <Alert color="orange" variant="light" title={t('requests.create.unavailableTitle', { type: type.name })} data-testid="create-unavailable">
        <Text fz="sm">{type.unavailableReason}</Text>
        <Anchor component={Link} to="/" fz="sm" mt={6} display="inline-block">
          {t('requests.create.backHome')}
        </Anchor>
      </Alert>
    );
  } else if (type.requiresProject && catalog.data.projects.length === 0) {
    body = (
      <Alert color="orange" variant="light" data-testid="create-no-project">
        <Text fz="sm">{t('requests.create.noProject')}</Text>
        <Anchor component={Link} to="/" fz="sm" mt={6} display="inline-block">
          {t('requests.create.backHome')}
        </Anchor>
      </Alert>
    );
  } else {
    body = (
      <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
        <CreateForm catalog={catalog.data} desk={desk} type={type} />
      </Paper>
    );
  }

  return (
    <Stack gap="lg" data-testid="page-create-request">
      <PageHeader desk={desk} type={type} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>{body}</Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {desk && type && (
              <Card withBorder padding="md" data-testid="create-type-info">
                <Text fz={11} fw={700} tt="uppercase" c="dimmed" lts={0.5}>
                  {t('requests.create.aboutType')}
                </Text>
                <Text fw={600} mt={4}>
                  {t('requests.create.deskType', { desk: desk.name, type: type.name })}
                </Text>
                <Text fz="sm" c="dimmed" mt={4}>
                  {type.description}
                </Text>
                <Text fz="xs" c="dimmed" mt="xs">
                  {type.underSla ? t('requests.create.slaNote') : t('requests.create.noSlaNote')}
                </Text>
              </Card>
            )}
            <Guidance />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
