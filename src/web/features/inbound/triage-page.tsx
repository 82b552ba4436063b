import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Criticality } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LoadMore } from '../../components/list-parts.tsx';
import { i18n } from '../../i18n/index.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { applyScopedApiError, scopedErrorMessage } from '../../lib/scoped-errors.ts';
import type { OrganizationRef } from '../agent/agent-api.ts';
import { CustomerOrganizationSelect } from '../agent/customer-organization-select.tsx';
import { CriticalityPicker } from '../requests/criticality-picker.tsx';
import { useCatalog, useMembers, useRequestCreated, useStaffDesks } from '../requests/requests-api.ts';
import { useMe } from '../session/session.ts';
import { inboundApi, inboundKeys, useTriage, type TriageItem } from './inbound-api.ts';
import { InboundReasonText, senderOf } from './inbound-parts.tsx';
import classes from './inbound.module.css';

type OpenValues = {
  organizationId: string | null;
  reporterId: string | null;
  deskId: string | null;
  requestTypeId: string | null;
  projectId: string | null;
  criticality: Criticality;
};

/** Opens a request from a held e-mail for the customer the agent chooses. */
function OpenRequestForm({ item, onOpened, onCancel }: { item: TriageItem; onOpened: (key: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const requestCreated = useRequestCreated();
  const { data: me } = useMe();
  const staffDesks = useStaffDesks();
  const [organization, setOrganization] = useState<OrganizationRef | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<OpenValues>({
    initialValues: { organizationId: null, reporterId: null, deskId: item.deskId, requestTypeId: null, projectId: null, criticality: 'medium' },
    validate: {
      organizationId: (value) => (value ? null : i18n.t('workspace.create.organizationRequired')),
      reporterId: (value) => (value ? null : i18n.t('workspace.create.reporterRequired')),
      deskId: (value) => (value ? null : i18n.t('inbound.triage.deskRequired')),
      requestTypeId: (value) => (value ? null : i18n.t('inbound.triage.requestTypeRequired')),
      projectId: (value, values) => {
        const type = catalog.data?.desks.find((d) => d.id === values.deskId)?.requestTypes.find((ty) => ty.id === values.requestTypeId);
        return type?.requiresProject && !value ? i18n.t('inbound.triage.projectRequired') : null;
      },
    },
  });
  const organizationId = form.values.organizationId ?? undefined;
  const catalog = useCatalog({ organizationId, enabled: Boolean(organizationId) });
  const members = useMembers({ organizationId, enabled: Boolean(organizationId) });
  const allowed = (deskId: string) => me?.role === 'admin' || Boolean(staffDesks.data?.desks.find((desk) => desk.id === deskId)?.member);
  const desks = (catalog.data?.desks ?? []).filter((desk) => allowed(desk.id) || desk.id === item.deskId);
  const desk = desks.find((d) => d.id === form.values.deskId) ?? null;
  const type = desk?.requestTypes.find((ty) => ty.id === form.values.requestTypeId) ?? null;
  const projects = catalog.data?.projects ?? [];

  function chooseOrganization(chosen: OrganizationRef | null) {
    setOrganization(chosen);
    form.setValues({ organizationId: chosen?.id ?? null, reporterId: null, requestTypeId: null, projectId: null });
    form.clearErrors();
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const { key } = await inboundApi.openFromTriage(item.id, {
            reporterId: values.reporterId!,
            requestTypeId: values.requestTypeId!,
            criticality: values.criticality,
            projectId: type?.requiresProject ? values.projectId : null,
          });
          requestCreated();
          void queryClient.invalidateQueries({ queryKey: inboundKeys.triage });
          notifications.show({ color: 'green', message: i18n.t('inbound.triage.opened', { key }) });
          onOpened(key);
        } catch (e) {
          setError(applyScopedApiError(form, e, 'workspace'));
        }
      })}
    >
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {t('inbound.triage.openHint')}
        </Text>
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <CustomerOrganizationSelect
            value={organization}
            onChange={chooseOrganization}
            error={form.errors.organizationId as string | undefined}
            testId="triage-organization"
          />
          <Select
            label={t('workspace.create.reporter')}
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
            data={(members.data?.items ?? []).map((member) => ({ value: member.id, label: `${member.name} · ${member.email}` }))}
            nothingFoundMessage={t('common.noMatch')}
            comboboxProps={{ withinPortal: true }}
            data-testid="triage-reporter"
            {...form.getInputProps('reporterId')}
          />
        </SimpleGrid>
        {organization && members.isSuccess && members.data.items.length === 0 && (
          <Alert color="yellow" variant="light">
            {t('workspace.create.noMember')}
          </Alert>
        )}
        {organization && catalog.isError && <ErrorAlert message={scopedErrorMessage(catalog.error, 'workspace')} />}
        {organization && catalog.isSuccess && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label={t('inbound.triage.desk')}
              required
              data={desks.map((d) => ({ value: d.id, label: d.name }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              data-testid="triage-desk"
              {...form.getInputProps('deskId')}
              onChange={(value) => {
                form.setFieldValue('deskId', value);
                form.setFieldValue('requestTypeId', null);
                form.setFieldValue('projectId', null);
              }}
            />
            <Select
              label={t('inbound.triage.requestType')}
              placeholder={t('inbound.triage.requestTypePlaceholder')}
              required
              disabled={!desk}
              data={(desk?.requestTypes ?? []).map((ty) => ({ value: ty.id, label: ty.name, disabled: !ty.available }))}
              comboboxProps={{ withinPortal: true }}
              data-testid="triage-request-type"
              {...form.getInputProps('requestTypeId')}
            />
          </SimpleGrid>
        )}
        {type?.requiresProject && (
          <Select
            label={t('inbound.triage.project')}
            placeholder={t('inbound.triage.projectPlaceholder')}
            required
            searchable
            data={projects.map((project) => ({ value: project.id, label: project.code ? `${project.name} (${project.code})` : project.name }))}
            nothingFoundMessage={t('workspace.create.noProject')}
            comboboxProps={{ withinPortal: true }}
            data-testid="triage-project"
            {...form.getInputProps('projectId')}
          />
        )}
        <CriticalityPicker
          label={t('inbound.triage.criticality')}
          required
          value={form.values.criticality}
          onChange={(value) => form.setFieldValue('criticality', value)}
          error={form.errors.criticality}
          testId="triage-criticality"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="triage-open-submit">
            {t('inbound.triage.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DismissConfirm({ item, onDone }: { item: TriageItem; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const dismiss = useMutation({
    mutationFn: () => inboundApi.dismiss(item.id),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('inbound.triage.dismissed') });
      void queryClient.invalidateQueries({ queryKey: inboundKeys.triage });
      onDone();
    },
  });
  return (
    <Stack gap="md">
      <Text fz="sm">{t('inbound.triage.dismissText')}</Text>
      {dismiss.isError && <ErrorAlert message={scopedErrorMessage(dismiss.error, 'workspace')} />}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onDone} data-autofocus>
          {t('inbound.triage.keep')}
        </Button>
        <Button color="red" loading={dismiss.isPending} onClick={() => dismiss.mutate()} data-testid="triage-dismiss-confirm">
          {t('inbound.triage.dismissConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}

function TriageCard({ item, deskName, onOpen, onDismiss }: { item: TriageItem; deskName: string | null; onOpen: () => void; onDismiss: () => void }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const subject = item.subject || t('inbound.log.noSubject');
  return (
    <Paper withBorder p="md" component="article" aria-label={subject} data-testid="triage-item" data-from={item.from}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <div style={{ minWidth: 0, flex: '1 1 16rem' }}>
            <Title order={2} fz="md" style={{ overflowWrap: 'anywhere' }}>
              {subject}
            </Title>
            <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>
              {senderOf(item)}
            </Text>
            <Text fz="xs" c="dimmed">
              {t('inbound.triage.received', { date: format.dateTime(item.receivedAt) })}
            </Text>
          </div>
          <Group gap={6}>
            {deskName && (
              <Badge variant="light" color="gray" tt="none">
                {deskName}
              </Badge>
            )}
          </Group>
        </Group>
        <InboundReasonText reason={item.reason} size="sm" />
        {item.text && (
          <Text fz="sm" className={classes.preview} data-testid="triage-text">
            {item.text}
          </Text>
        )}
        <Group gap="sm" justify="flex-end">
          <Button variant="default" color="red" onClick={onDismiss} data-testid="triage-dismiss">
            {t('inbound.triage.dismiss')}
          </Button>
          <Button onClick={onOpen} data-testid="triage-open">
            {t('inbound.triage.open')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Workspace → E-mail to triage: the held e-mails of the caller's desks. */
export function TriagePage() {
  const { t } = useTranslation();
  usePageTitle(t('inbound.triage.title'));
  const { data: me } = useMe();
  const staffDesks = useStaffDesks();
  const [deskId, setDeskId] = useState<string | null>(null);
  const [opening, setOpening] = useState<TriageItem | null>(null);
  const [dismissing, setDismissing] = useState<TriageItem | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const query = useTriage(deskId ?? undefined);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const myDesks = (staffDesks.data?.desks ?? []).filter((desk) => me?.role === 'admin' || desk.member);
  const deskName = (id: string | null) => (id ? (staffDesks.data?.desks.find((desk) => desk.id === id)?.name ?? null) : null);

  return (
    <Stack gap="lg" maw={960} data-testid="page-triage">
      <div>
        <Anchor component={Link} to="/agent" fz="sm">
          ← {t('workspace.queue.title')}
        </Anchor>
        <Title order={1} fz={26} mt={4}>
          {t('inbound.triage.title')}
        </Title>
        <Text c="dimmed" fz="sm" mt={2} maw={720}>
          {t('inbound.triage.description')}
        </Text>
      </div>
      {myDesks.length > 1 && (
        <Select
          label={t('inbound.triage.desk')}
          data={[{ value: '', label: t('inbound.triage.allDesks') }, ...myDesks.map((desk) => ({ value: desk.id, label: desk.name }))]}
          value={deskId ?? ''}
          onChange={(value) => setDeskId(value || null)}
          allowDeselect={false}
          maw={320}
          data-testid="triage-desk-filter"
        />
      )}
      {opened && (
        <Alert
          color="green"
          variant="light"
          title={t('inbound.triage.openedTitle')}
          withCloseButton
          onClose={() => setOpened(null)}
          data-testid="triage-opened"
        >
          <Text fz="sm">{t('inbound.triage.openedText', { key: opened })}</Text>
          <Anchor component={Link} to={`/requests/${opened}`} fz="sm" fw={600} data-testid="triage-opened-link">
            {t('inbound.triage.viewRequest', { key: opened })}
          </Anchor>
        </Alert>
      )}
      {query.isPending ? (
        <Text c="dimmed" fz="sm">
          {t('common.loading')}
        </Text>
      ) : query.isError ? (
        <ErrorAlert message={scopedErrorMessage(query.error, 'workspace')} />
      ) : items.length === 0 ? (
        <Paper withBorder p="lg">
          <Text c="dimmed" fz="sm" data-testid="triage-empty">
            {t('inbound.triage.empty')}
          </Text>
        </Paper>
      ) : (
        <Stack gap="sm" data-testid="triage-list">
          {items.map((item) => (
            <TriageCard key={item.id} item={item} deskName={deskName(item.deskId)} onOpen={() => setOpening(item)} onDismiss={() => setDismissing(item)} />
          ))}
        </Stack>
      )}
      <LoadMore query={query} count={items.length} />
      <Modal opened={opening !== null} onClose={() => setOpening(null)} title={t('inbound.triage.openTitle')} size="xl">
        {opening && (
          <OpenRequestForm
            key={opening.id}
            item={opening}
            onCancel={() => setOpening(null)}
            onOpened={(key) => {
              setOpening(null);
              setOpened(key);
            }}
          />
        )}
      </Modal>
      <Modal opened={dismissing !== null} onClose={() => setDismissing(null)} title={t('inbound.triage.dismissTitle')}>
        {dismissing && <DismissConfirm key={dismissing.id} item={dismissing} onDone={() => setDismissing(null)} />}
      </Modal>
    </Stack>
  );
}
