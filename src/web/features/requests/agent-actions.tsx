import { useMemo, useState } from 'react';
import { Alert, Anchor, Button, Group, Menu, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { type FormErrors, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { moveTicketSchema, qualifySchema, updateTicketSchema } from '#shared/tickets-api.ts';
import { CRITICALITY_RANK, type Criticality, type Status } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { required } from '../../lib/validation.ts';
import { useMe } from '../session/session.ts';
import { CriticalityPicker } from './criticality-picker.tsx';
import { STATUS_COLORS, useTicketLabels } from './labels.tsx';
import { requestKeys, requestsApi, useCatalog, useStaffDesks, useStoreTicket, type TicketDetail } from './requests-api.ts';
import { useTicketAction } from './ticket-actions.ts';

const lowered = (from: Criticality, to: Criticality | null) => to !== null && CRITICALITY_RANK[to] < CRITICALITY_RANK[from];

/**
 * The checks of a change of criticality (qualification, or later): the shared schema's on what is
 * sent (`schema`), and the reason required when the level goes down (the server's rule: the customer
 * is told why).
 */
function criticalityRules<Values extends { criticality: Criticality | null; reason: string }>(
  current: Criticality,
  schema: typeof qualifySchema | typeof updateTicketSchema,
  payload: (values: Values) => unknown,
) {
  const rules = schemaRules(schema, { payload });
  return (values: Values): FormErrors => {
    const errors = rules(values);
    if (!errors.reason && lowered(current, values.criticality)) {
      const missing = required(values.reason);
      if (missing) errors.reason = missing;
    }
    return errors;
  };
}

/** What a qualification sends: only what changes, and the reason when one is given. */
const qualification = (detail: TicketDetail, v: QualifyValues) => ({
  ...(v.requestTypeId !== detail.requestType.id ? { requestTypeId: v.requestTypeId } : {}),
  ...(v.criticality && v.criticality !== detail.criticality ? { criticality: v.criticality } : {}),
  ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
});

/** What a change of criticality sends. */
const criticalityChange = (v: CriticalityValues) => ({
  ...(v.criticality ? { criticality: v.criticality } : {}),
  ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
});

/** Reason field, required (and explained) when the level goes down: the customer is told. */
function ReasonField({ isLowered, form }: { isLowered: boolean; form: { getInputProps: (path: 'reason') => object } }) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t('requests.agent.reason')}
      description={isLowered ? t('requests.agent.reasonLoweredHint') : t('requests.agent.reasonHint')}
      required={isLowered}
      autosize
      minRows={2}
      maxRows={6}
      data-testid="criticality-reason"
      {...form.getInputProps('reason')}
    />
  );
}

function LoweredWarning({ from, to }: { from: Criticality; to: Criticality | null }) {
  const { t } = useTranslation();
  const labels = useTicketLabels('staff');
  if (!lowered(from, to)) return null;
  return (
    <Alert color="orange" variant="light" p="xs" data-testid="lowered-warning">
      <Text fz="sm">{t('requests.agent.loweredWarning', { from: labels.criticality(from), to: labels.criticality(to!) })}</Text>
    </Alert>
  );
}

/** The criticality picker with the warning and the reason a lowered level needs: one block for both forms. */
function CriticalityFields({
  current,
  form,
  testId,
}: {
  current: Criticality;
  form: {
    getValues: () => { criticality: Criticality | null };
    setFieldValue: (path: 'criticality', value: Criticality | null) => void;
    errors: Record<string, unknown>;
    getInputProps: (path: 'reason') => object;
  };
  testId: string;
}) {
  const { t } = useTranslation();
  const chosen = form.getValues().criticality;
  return (
    <>
      <CriticalityPicker
        label={t('requests.agent.criticality')}
        value={chosen}
        onChange={(value) => form.setFieldValue('criticality', value)}
        current={current}
        error={form.errors.criticality as string | undefined}
        testId={testId}
      />
      <LoweredWarning from={current} to={chosen} />
      <ReasonField isLowered={lowered(current, chosen)} form={form} />
    </>
  );
}

/** Cancel and submit, right-aligned. */
function FormButtons({ onCancel, loading, submitLabel, testId }: { onCancel: () => void; loading: boolean; submitLabel: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading} data-testid={testId}>
        {submitLabel}
      </Button>
    </Group>
  );
}

type QualifyValues = { requestTypeId: string; criticality: Criticality | null; reason: string };

function QualifyForm({ detail, onDone }: { detail: TicketDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const storeTicket = useStoreTicket();
  const desks = useStaffDesks();
  const [error, setError] = useState<string | null>(null);
  const types = desks.data?.desks.find((d) => d.id === detail.desk.id)?.requestTypes ?? [{ id: detail.requestType.id, name: detail.requestType.name }];
  const validate = useMemo(() => criticalityRules(detail.criticality, qualifySchema, (v: QualifyValues) => qualification(detail, v)), [detail]);
  const form = useForm<QualifyValues>({
    initialValues: { requestTypeId: detail.requestType.id, criticality: detail.criticality, reason: '' },
    validate,
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        setError(null);
        try {
          const updated = await requestsApi.qualify(detail.key, qualification(detail, v));
          storeTicket(updated);
          notifications.show({ color: 'green', message: i18n.t('requests.agent.qualified') });
          onDone();
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
      data-testid="qualify-form"
    >
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {t('requests.agent.qualifyText')}
        </Text>
        <ErrorAlert message={error} />
        <Select
          label={t('requests.agent.requestType')}
          data={types.map((type) => ({ value: type.id, label: type.name }))}
          allowDeselect={false}
          data-testid="qualify-type"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('requestTypeId')}
        />
        <CriticalityFields current={detail.criticality} form={form} testId="qualify-criticality" />
        <FormButtons onCancel={onDone} loading={form.submitting} submitLabel={t('requests.agent.qualifySubmit')} testId="qualify-submit" />
      </Stack>
    </form>
  );
}

export function QualifyModal({ detail, opened, onClose }: { detail: TicketDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('requests.agent.qualifyTitle', { key: detail.key })} size="xl">
      {opened && <QualifyForm detail={detail} onDone={onClose} />}
    </Modal>
  );
}

type CriticalityValues = { criticality: Criticality | null; reason: string };

function CriticalityForm({ detail, onDone }: { detail: TicketDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const storeTicket = useStoreTicket();
  const labels = useTicketLabels('staff');
  const [error, setError] = useState<string | null>(null);
  const validate = useMemo(() => criticalityRules(detail.criticality, updateTicketSchema, criticalityChange), [detail.criticality]);
  const form = useForm<CriticalityValues>({
    initialValues: { criticality: detail.criticality, reason: '' },
    validate,
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        setError(null);
        if (!v.criticality || v.criticality === detail.criticality) {
          onDone();
          return;
        }
        try {
          const updated = await requestsApi.update(detail.key, criticalityChange(v));
          storeTicket(updated);
          notifications.show({ color: 'green', message: i18n.t('requests.agent.criticalityChanged', { level: labels.criticality(v.criticality) }) });
          onDone();
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
      data-testid="criticality-form"
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <CriticalityFields current={detail.criticality} form={form} testId="change-criticality" />
        <FormButtons onCancel={onDone} loading={form.submitting} submitLabel={t('requests.agent.criticalitySubmit')} testId="criticality-submit" />
      </Stack>
    </form>
  );
}

export function CriticalityModal({ detail, opened, onClose }: { detail: TicketDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('requests.agent.criticalityTitle', { key: detail.key })} size="xl">
      {opened && <CriticalityForm detail={detail} onDone={onClose} />}
    </Modal>
  );
}

type MoveValues = { deskId: string | null; requestTypeId: string | null; projectId: string | null };
/** The move as the server takes it (whether the new type needs the project is checked on submit, knowing the type). */
const moveRules = schemaRules(moveTicketSchema, {
  payload: (values: MoveValues) => ({
    deskId: values.deskId,
    requestTypeId: values.requestTypeId,
    ...(values.projectId ? { projectId: values.projectId } : {}),
  }),
});

function MoveForm({ detail, onDone }: { detail: TicketDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const storeTicket = useStoreTicket();
  const desks = useStaffDesks();
  const catalog = useCatalog({ organizationId: detail.organization.id });
  const [error, setError] = useState<string | null>(null);
  const otherDesks = (desks.data?.desks ?? []).filter((d) => d.id !== detail.desk.id);
  const form = useForm<MoveValues>({
    initialValues: { deskId: null, requestTypeId: null, projectId: detail.project?.id ?? null },
    validate: moveRules,
    onValuesChange: (values, previous) => {
      if (values.deskId !== previous.deskId) {
        const desk = otherDesks.find((d) => d.id === values.deskId);
        form.setFieldValue('requestTypeId', desk?.requestTypes.length === 1 ? desk.requestTypes[0]!.id : null);
      }
    },
  });
  const values = form.getValues();
  const desk = otherDesks.find((d) => d.id === values.deskId);
  const type = desk?.requestTypes.find((r) => r.id === values.requestTypeId);
  const projects = catalog.data?.projects ?? [];

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        setError(null);
        if (type?.requiresProject && !v.projectId) {
          form.setFieldError('projectId', i18n.t('requests.create.projectRequired'));
          return;
        }
        try {
          const updated = await requestsApi.move(detail.key, {
            deskId: v.deskId!,
            requestTypeId: v.requestTypeId!,
            ...(type?.requiresProject && v.projectId ? { projectId: v.projectId } : {}),
          });
          if ('visible' in updated) {
            // Moved to a desk this agent does not work at: done, and out of their sight.
            notifications.show({ color: 'green', message: i18n.t('requests.agent.movedAway', { desk: updated.desk.name }) });
            void navigate('/', { replace: true });
            queryClient.removeQueries({ queryKey: requestKeys.detail(detail.key) });
            void queryClient.invalidateQueries({ queryKey: requestKeys.lists });
            return;
          }
          storeTicket(updated);
          notifications.show({ color: 'green', message: i18n.t('requests.agent.moved', { desk: updated.desk.name }) });
          onDone();
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
      data-testid="move-form"
    >
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {t('requests.agent.moveText')}
        </Text>
        <ErrorAlert message={error} />
        {desks.isSuccess && otherDesks.length === 0 && <Alert color="gray">{t('requests.agent.noOtherDesk')}</Alert>}
        <Select
          label={t('requests.agent.moveDesk')}
          data={otherDesks.map((d) => ({ value: d.id, label: d.name }))}
          required
          allowDeselect={false}
          data-testid="move-desk"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('deskId')}
        />
        <Select
          label={t('requests.agent.moveType')}
          data={(desk?.requestTypes ?? []).map((r) => ({ value: r.id, label: r.name }))}
          required
          disabled={!desk}
          allowDeselect={false}
          data-testid="move-type"
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('requestTypeId')}
        />
        {type?.requiresProject && (
          <Select
            label={t('requests.agent.moveProject')}
            description={projects.length ? t('requests.agent.moveProjectHint') : t('requests.agent.moveNoProject')}
            data={projects.map((p) => ({ value: p.id, label: p.code ? `${p.name} (${p.code})` : p.name }))}
            required
            allowDeselect={false}
            data-testid="move-project"
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('projectId')}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} disabled={otherDesks.length === 0} data-testid="move-submit">
            {t('requests.agent.moveSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function MoveModal({ detail, opened, onClose }: { detail: TicketDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('requests.agent.moveTitle', { key: detail.key })} size="lg">
      {opened && <MoveForm detail={detail} onDone={onClose} />}
    </Modal>
  );
}

/** The assignee among the agents of the request's desk. */
export function AssigneeSelect({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const desks = useStaffDesks();
  const action = useTicketAction();
  const desk = desks.data?.desks.find((d) => d.id === detail.desk.id);
  const agents = useMemo(() => {
    const list = (desk?.agents ?? []).map((a) => ({ value: a.id, label: a.name }));
    if (detail.assignee && !list.some((a) => a.value === detail.assignee!.id)) list.unshift({ value: detail.assignee.id, label: detail.assignee.name });
    if (me && me.role === 'admin' && !list.some((a) => a.value === me.id)) list.push({ value: me.id, label: me.name });
    return list;
  }, [desk, detail.assignee, me]);
  const assign = (assigneeId: string | null) =>
    void action.run(
      'assign',
      () => requestsApi.update(detail.key, { assigneeId }),
      () => i18n.t('requests.agent.assigned'),
    );
  const canTakeIt = me && detail.assignee?.id !== me.id && (me.role === 'admin' || desk?.member);
  return (
    <Stack gap={4}>
      <Select
        label={t('requests.agent.assignee')}
        placeholder={t('requests.agent.assigneePlaceholder')}
        data={agents}
        value={detail.assignee?.id ?? null}
        onChange={(value) => assign(value)}
        clearable
        searchable
        disabled={!detail.permissions.assign || action.pending !== null}
        size="xs"
        data-testid="assignee-select"
        comboboxProps={{ withinPortal: true }}
      />
      {detail.permissions.assign && canTakeIt && (
        <Anchor component="button" type="button" fz="xs" ta="left" onClick={() => assign(me.id)} data-testid="assign-to-me">
          {t('requests.agent.assignToMe')}
        </Anchor>
      )}
    </Stack>
  );
}

/** Agents: the statuses the request may go to, in the agents' words. */
export function StatusMenu({ detail, onCancel }: { detail: TicketDetail; onCancel: () => void }) {
  const { t } = useTranslation();
  const labels = useTicketLabels('staff');
  const action = useTicketAction();
  const transitions = detail.permissions.transitions;
  if (transitions.length === 0) return null;
  const go = (to: Status) => {
    if (to === 'canceled') {
      onCancel();
      return;
    }
    void action.run(
      `status-${to}`,
      () => requestsApi.transition(detail.key, { to }),
      (updated) => i18n.t('requests.actions.statusChanged', { status: updated.statusLabel }),
    );
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          size="sm"
          loading={action.pending?.startsWith('status-')}
          rightSection={
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden focusable="false">
              <path d="M2.5 4.5 6 8l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          }
          data-testid="status-menu"
        >
          {t('requests.actions.changeStatus')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {transitions.map((to) => (
          <Menu.Item
            key={to}
            onClick={() => go(to)}
            color={to === 'canceled' ? 'red' : undefined}
            leftSection={
              <span style={{ width: 8, height: 8, borderRadius: 4, display: 'inline-block', background: `var(--mantine-color-${STATUS_COLORS[to]}-6)` }} />
            }
            data-testid={`status-to-${to}`}
          >
            {labels.status(to)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
