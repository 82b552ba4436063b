import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Input,
  MultiSelect,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { createTicketSchema } from '#shared/tickets-api.ts';
import type { Criticality } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { applyScopedApiError, scopedErrorMessage } from '../../lib/scoped-errors.ts';
import { useSubmission } from '../../lib/submission.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { AttachmentsInput, useUploads } from '../requests/attachments-input.tsx';
import { CriticalityPicker } from '../requests/criticality-picker.tsx';
import { MarkdownEditor } from '../requests/markdown-editor.tsx';
import { useCatalog, useMembers, useStaffDesks, useRequestCreated, type CatalogDesk, type CatalogRequestType } from '../requests/requests-api.ts';
import { useMe } from '../session/session.ts';
import { agentApi, type OrganizationRef } from './agent-api.ts';
import { CustomerOrganizationSelect } from './customer-organization-select.tsx';
import classes from './agent.module.css';

type NewRequestValues = {
  organizationId: string | null;
  reporterId: string | null;
  participantIds: string[];
  deskId: string | null;
  requestTypeId: string | null;
  projectId: string | null;
  summary: string;
  description: string;
  criticality: Criticality | null;
  attachmentIds: string[];
};

/** What the form sends: the shared schema (createTicketSchema) checks it, as the server will. */
const creation = (values: NewRequestValues) => ({
  requestTypeId: values.requestTypeId!,
  reporterId: values.reporterId!,
  participantIds: values.participantIds.filter((id) => id !== values.reporterId),
  projectId: values.projectId,
  summary: values.summary.trim(),
  description: values.description.trim(),
  criticality: values.criticality!,
  attachmentIds: values.attachmentIds,
});

const creationRules = schemaRules(createTicketSchema, {
  payload: creation,
  messages: { requestTypeId: 'workspace.create.requestTypeRequired', criticality: 'workspace.create.criticalityRequired' },
});

function DeskChoice({
  desks,
  allowed,
  value,
  onChange,
  error,
}: {
  desks: CatalogDesk[];
  allowed: (deskId: string) => boolean;
  value: string | null;
  onChange: (deskId: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Input.Wrapper label={t('workspace.create.desk')} required error={error} description={t('workspace.create.deskHint')}>
      <div>
        <SegmentedControl
          mt={4}
          value={value ?? ''}
          onChange={onChange}
          aria-label={t('workspace.create.desk')}
          data={desks.map((desk) => ({
            value: desk.id,
            disabled: !allowed(desk.id),
            label: (
              <span data-testid={`new-request-desk-${desk.slug}`} title={allowed(desk.id) ? desk.description : t('workspace.create.notYourDesk')}>
                {desk.name}
              </span>
            ),
          }))}
          data-testid="new-request-desk"
        />
      </div>
    </Input.Wrapper>
  );
}

function RequestTypeChoice({ desk, value, onChange, error }: { desk: CatalogDesk; value: string | null; onChange: (id: string) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Radio.Group value={value} onChange={onChange} label={t('workspace.create.requestType')} required error={error} data-testid="new-request-type">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={6}>
        {desk.requestTypes.map((type) => (
          <Radio.Card
            key={type.id}
            value={type.id}
            disabled={!type.available}
            className={classes.typeCard}
            radius="md"
            data-testid={`new-request-type-${type.slug}`}
            data-available={type.available ? 'true' : 'false'}
          >
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} disabled={!type.available} />
              <Stack gap={2}>
                <Group gap={6}>
                  <Text fw={600} fz="sm">
                    {type.name}
                  </Text>
                  {!type.underSla && (
                    <Badge size="xs" variant="outline" color="gray">
                      {t('workspace.create.noSla')}
                    </Badge>
                  )}
                  {type.requiresProject && (
                    <Badge size="xs" variant="light" color="teal">
                      {t('workspace.create.projectBadge')}
                    </Badge>
                  )}
                </Group>
                {type.description && (
                  <Text fz="xs" c="dimmed" lh={1.35}>
                    {type.description}
                  </Text>
                )}
                {!type.available && type.unavailableReason && (
                  <Text fz="xs" c="orange" fw={500} data-testid="new-request-type-unavailable">
                    {type.unavailableReason}
                  </Text>
                )}
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}

export function NewRequestPage() {
  const { t } = useTranslation();
  usePageTitle(t('workspace.create.title'));
  const navigate = useNavigate();
  const requestCreated = useRequestCreated();
  const { data: me } = useMe();
  const uploads = useUploads();
  const submission = useSubmission();
  const [error, setError] = useState<string | null>(null);
  const [organization, setOrganization] = useState<OrganizationRef | null>(null);
  // The chosen type, for the form rule on the project (the rules are set before the type is known).
  const selectedTypeRef = useRef<CatalogRequestType | null>(null);
  const form = useForm<NewRequestValues>({
    initialValues: {
      organizationId: null as string | null,
      reporterId: null as string | null,
      participantIds: [] as string[],
      deskId: null as string | null,
      requestTypeId: null as string | null,
      projectId: null as string | null,
      summary: '',
      description: '',
      criticality: null as Criticality | null,
      attachmentIds: [] as string[],
    },
    validate: (values) => {
      const errors = creationRules(values);
      // What the form needs before it can say what it sends: the organization and its member, the desk,
      // a project for a type that requires one (the server's rules, not the schema's).
      if (!values.organizationId) errors.organizationId = i18n.t('workspace.create.organizationRequired');
      if (!values.reporterId) errors.reporterId = i18n.t('workspace.create.reporterRequired');
      if (!values.deskId) errors.deskId = i18n.t('workspace.create.deskRequired');
      if (!values.projectId && selectedTypeRef.current?.requiresProject) errors.projectId = i18n.t('workspace.create.projectRequired');
      return errors;
    },
  });

  const organizationId = form.values.organizationId ?? undefined;
  const catalog = useCatalog({ organizationId, enabled: Boolean(organizationId) });
  const members = useMembers({ organizationId, enabled: Boolean(organizationId) });
  const staffDesks = useStaffDesks();
  const allowed = (deskId: string) => me?.role === 'admin' || Boolean(staffDesks.data?.desks.find((desk) => desk.id === deskId)?.member);

  const desks = catalog.data?.desks ?? [];
  const desk = desks.find((d) => d.id === form.values.deskId) ?? null;
  const selectedType = desk?.requestTypes.find((type) => type.id === form.values.requestTypeId) ?? null;
  selectedTypeRef.current = selectedType;
  const projects = catalog.data?.projects ?? [];

  // A new organization: its catalogue arrives; preselect the first desk this person works at.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new catalogue (or desks list) preselects; the form's own changes do not.
  useEffect(() => {
    if (!catalog.data || !staffDesks.data) return;
    if (form.values.deskId && catalog.data.desks.some((d) => d.id === form.values.deskId)) return;
    const first = catalog.data.desks.find((d) => allowed(d.id));
    if (first) chooseDesk(first.id);
  }, [catalog.data, staffDesks.data]);

  function chooseDesk(deskId: string) {
    const next = desks.find((d) => d.id === deskId) ?? catalog.data?.desks.find((d) => d.id === deskId);
    form.setFieldValue('deskId', deskId);
    // With a single type open to the organization, it is the choice.
    const available = next?.requestTypes.filter((type) => type.available) ?? [];
    form.setFieldValue('requestTypeId', available.length === 1 ? available[0]!.id : null);
    form.setFieldValue('projectId', null);
    form.clearFieldError('deskId');
  }

  function chooseOrganization(chosen: OrganizationRef | null) {
    setOrganization(chosen);
    form.setValues({ organizationId: chosen?.id ?? null, reporterId: null, participantIds: [], deskId: null, requestTypeId: null, projectId: null });
    form.clearErrors();
  }

  const memberOptions = (members.data?.items ?? []).map((member) => ({ value: member.id, label: `${member.name} · ${member.email}` }));

  return (
    <Stack gap="lg" maw={960} data-testid="page-new-request">
      <div>
        <Anchor component={Link} to="/agent" fz="sm">
          ← {t('workspace.queue.title')}
        </Anchor>
        <Title order={1} fz={26} mt={4}>
          {t('workspace.create.title')}
        </Title>
        <Text c="dimmed" fz="sm" mt={2} maw={720}>
          {t('workspace.create.description')}
        </Text>
      </div>
      <form
        noValidate
        onSubmit={form.onSubmit(
          async (values) => {
            setError(null);
            if (uploads.busy) {
              setError(i18n.t('workspace.create.uploadsBusy'));
              return;
            }
            try {
              const body = { ...creation(values), attachmentIds: uploads.ids };
              const created = await submission(body, (key) => agentApi.createForCustomer(body, key));
              requestCreated();
              notifications.show({
                color: 'green',
                message: i18n.t('workspace.create.created', {
                  key: created.key,
                  name: members.data?.items.find((member) => member.id === values.reporterId)?.name ?? '',
                }),
              });
              void navigate(`/requests/${created.key}`);
            } catch (e) {
              setError(applyScopedApiError(form, e, 'workspace'));
            }
          },
          () => setError(null),
        )}
      >
        <Stack gap="md">
          <ErrorAlert message={error} />

          <Paper withBorder p="lg">
            <Stack gap="md">
              <Title order={2} fz="lg">
                {t('workspace.create.customerSection')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <CustomerOrganizationSelect value={organization} onChange={chooseOrganization} error={form.errors.organizationId as string | undefined} />
                <Select
                  label={t('workspace.create.reporter')}
                  description={t('workspace.create.reporterHint')}
                  placeholder={
                    organization
                      ? members.isPending
                        ? t('common.loading')
                        : t('workspace.create.reporterPlaceholder')
                      : t('workspace.create.chooseOrganizationFirst')
                  }
                  required
                  searchable
                  disabled={!organization}
                  data={memberOptions}
                  nothingFoundMessage={t('common.noMatch')}
                  data-testid="new-request-reporter"
                  {...form.getInputProps('reporterId')}
                />
              </SimpleGrid>
              {organization && members.isSuccess && members.data.items.length === 0 && (
                <Alert color="yellow" variant="light" data-testid="new-request-no-member">
                  {t('workspace.create.noMember')}
                </Alert>
              )}
              {organization && memberOptions.length > 1 && (
                <MultiSelect
                  label={t('workspace.create.participants')}
                  description={t('workspace.create.participantsHint')}
                  data={memberOptions.filter((option) => option.value !== form.values.reporterId)}
                  searchable
                  clearable
                  hidePickedOptions
                  nothingFoundMessage={t('common.noMatch')}
                  data-testid="new-request-participants"
                  {...form.getInputProps('participantIds')}
                />
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="lg">
            <Stack gap="md">
              <Title order={2} fz="lg">
                {t('workspace.create.requestSection')}
              </Title>
              {!organization ? (
                <Text c="dimmed" fz="sm">
                  {t('workspace.create.chooseOrganizationFirst')}
                </Text>
              ) : catalog.isPending ? (
                <Text c="dimmed" fz="sm">
                  {t('common.loading')}
                </Text>
              ) : catalog.isError ? (
                <ErrorAlert message={scopedErrorMessage(catalog.error, 'workspace')} />
              ) : desks.length === 0 ? (
                <Alert color="yellow" variant="light">
                  {t('workspace.create.noDesk')}
                </Alert>
              ) : (
                <>
                  <DeskChoice
                    desks={desks}
                    allowed={allowed}
                    value={form.values.deskId}
                    onChange={chooseDesk}
                    error={form.errors.deskId as string | undefined}
                  />
                  {desk && (
                    <RequestTypeChoice
                      desk={desk}
                      value={form.values.requestTypeId}
                      onChange={(id) => {
                        form.setFieldValue('requestTypeId', id);
                        form.clearFieldError('requestTypeId');
                      }}
                      error={form.errors.requestTypeId as string | undefined}
                    />
                  )}
                  {selectedType?.requiresProject &&
                    (projects.length === 0 ? (
                      <Alert color="yellow" variant="light" title={t('workspace.create.project')} data-testid="new-request-no-project">
                        {t('workspace.create.noProject')}
                        {form.errors.projectId && (
                          <Text c="red" fz="sm" mt={4}>
                            {form.errors.projectId}
                          </Text>
                        )}
                      </Alert>
                    ) : (
                      <Select
                        label={t('workspace.create.project')}
                        placeholder={t('workspace.create.projectPlaceholder')}
                        required
                        searchable
                        data={projects.map((project) => ({ value: project.id, label: project.code ? `${project.name} (${project.code})` : project.name }))}
                        maw={480}
                        data-testid="new-request-project"
                        {...form.getInputProps('projectId')}
                      />
                    ))}
                </>
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="lg">
            <Stack gap="md">
              <Title order={2} fz="lg">
                {t('workspace.create.detailsSection')}
              </Title>
              <TextInput
                label={t('workspace.create.summary')}
                description={t('workspace.create.summaryHint')}
                required
                data-testid="new-request-summary"
                {...form.getInputProps('summary')}
              />
              <MarkdownEditor
                label={t('workspace.create.descriptionLabel')}
                description={t('workspace.create.descriptionHint')}
                required
                value={form.values.description}
                onChange={(value) => form.setFieldValue('description', value)}
                onBlur={() => form.validateField('description')}
                error={form.errors.description}
                testId="new-request-description"
              />
              <AttachmentsInput uploads={uploads} error={form.errors.attachmentIds as string | undefined} testId="new-request-attachments" />
              <CriticalityPicker
                label={t('workspace.create.criticality')}
                description={t('workspace.create.criticalityHint')}
                required
                value={form.values.criticality}
                onChange={(value) => {
                  form.setFieldValue('criticality', value);
                  form.clearFieldError('criticality');
                }}
                error={form.errors.criticality}
                testId="new-request-criticality"
              />
            </Stack>
          </Paper>

          <Group justify="flex-end" gap="sm">
            <Button component={Link} to="/agent" variant="default">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="new-request-submit">
              {t('workspace.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
