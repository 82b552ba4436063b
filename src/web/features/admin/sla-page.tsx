import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SLA_TARGET_MAX_MINUTES, slaPreviewRequestSchema, updateSlaPolicySchema } from '#shared/sla-api.ts';
import { CRITICALITIES, CRITICALITY_LABELS, type Criticality } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { useLanguage } from '../requests/labels.tsx';
import { slaApi, slaKeys, useSlaCalendar, useSlaPolicies, type SlaPolicy, type SlaPreview, type SlaTargetsInput } from '../sla/sla-api.ts';
import { useSlaFormat } from '../sla/sla-format.ts';
import { useDateFormat, zonedLocalToIso } from '../../lib/dates.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { useDesks, localized } from './catalog-api.ts';
import { ListTable } from '../../components/list-table.tsx';

const CLOCKS = ['engagement', 'resolution'] as const;
type HoursForm = Record<Criticality, { engagement: number | string; resolution: number | string }>;

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const formatHours = (minutes: number) => String(hours(minutes));

/** Hours as typed, in business minutes (to the thousandth, so 0.1 h is 6 min, not 6.000000000000001). Empty is none. */
const minutesOf = (value: number | string) => (value === '' ? null : Math.round(Number(value) * 60 * 1000) / 1000);
const targetsOf = (values: HoursForm) => ({
  targets: Object.fromEntries(
    CRITICALITIES.map((c) => [c, { engagement: minutesOf(values[c].engagement), resolution: minutesOf(values[c].resolution) }]),
  ) as SlaTargetsInput,
});
/** The schema counts minutes, the form hours: a target over the limit says it in hours, any other fault what is expected. */
const hoursMessage = (issue: { code: string }) =>
  issue.code === 'too_big' ? i18n.t('validation.tooBig', { limit: Math.floor(SLA_TARGET_MAX_MINUTES / 60) }) : i18n.t('sla.admin.invalidHours');
const targetRules = schemaRules<HoursForm>(updateSlaPolicySchema, {
  payload: targetsOf,
  field: (path) => path.replace(/^targets\./, ''),
  messages: Object.fromEntries(CRITICALITIES.flatMap((c) => CLOCKS.map((clock) => [`${c}.${clock}`, hoursMessage]))),
});

function PolicyModal({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={policy !== null} onClose={onClose} title={policy ? t('sla.admin.editTitle', { name: policy.requestTypeName }) : ''} size="lg">
      {policy && <PolicyForm key={policy.requestTypeId} policy={policy} onDone={onClose} />}
    </Modal>
  );
}

function PolicyForm({ policy, onDone }: { policy: SlaPolicy; onDone: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const initial = Object.fromEntries(
    CRITICALITIES.map((c) => [c, { engagement: hours(policy.targets[c].engagement), resolution: hours(policy.targets[c].resolution) }]),
  ) as HoursForm;
  const form = useForm<HoursForm>({
    initialValues: initial,
    validate: targetRules,
  });

  return (
    <form
      noValidate
      data-testid="sla-policy-form"
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = await slaApi.updatePolicy(policy.requestTypeId, targetsOf(values).targets);
          await queryClient.invalidateQueries({ queryKey: slaKeys.policies });
          notifications.show({ color: 'green', message: i18n.t('sla.admin.saved', { name: saved.requestTypeName }) });
          onDone();
        } catch (e) {
          const field = e instanceof ApiError && e.field ? e.field.replace(/^targets\./, '') : null;
          const [crit, clock] = field?.split('.') ?? [];
          if (field && CRITICALITIES.includes(crit as Criticality) && (clock === 'engagement' || clock === 'resolution')) {
            form.setFieldError(`${crit}.${clock}`, e instanceof ApiError ? e.message : errorMessage(e));
          } else {
            setError(errorMessage(e));
          }
        }
      })}
    >
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          {t('sla.admin.editHint')}
        </Text>
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {CRITICALITIES.flatMap((c) =>
            CLOCKS.map((clock) => (
              <NumberInput
                key={`${c}-${clock}`}
                label={t('sla.admin.fieldLabel', { criticality: CRITICALITY_LABELS[c][language], clock: t(`sla.admin.${clock}`) })}
                min={0}
                step={0.25}
                clampBehavior="none"
                data-testid={`sla-target-${c}-${clock}`}
                {...form.getInputProps(`${c}.${clock}`)}
              />
            )),
          )}
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="sla-policy-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PoliciesTable({ policies, onEdit }: { policies: SlaPolicy[]; onEdit: (policy: SlaPolicy) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const desks = useDesks();
  const deskName = (id: string) => {
    const desk = desks.data?.find((d) => d.id === id);
    return desk ? localized(desk.names, language) : '';
  };
  return (
    <ListTable verticalSpacing="xs" highlightOnHover data-testid="sla-policies">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('sla.admin.requestType')}</Table.Th>
          {CRITICALITIES.map((c) => (
            <Table.Th key={c}>
              {CRITICALITY_LABELS[c][language]}
              <Text fz={11} c="dimmed" fw={400}>
                {t('sla.admin.engagement')} / {t('sla.admin.resolution')}
              </Text>
            </Table.Th>
          ))}
          <Table.Th>{t('sla.admin.version')}</Table.Th>
          <Table.Th>
            <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {policies.map((policy) => (
          <Table.Tr key={policy.requestTypeId} data-testid="sla-policy-row" data-request-type-id={policy.requestTypeId}>
            <Table.Td>
              <Text fz="sm" fw={500}>
                {policy.requestTypeName}
              </Text>
              <Text fz="xs" c="dimmed">
                {deskName(policy.deskId)}
                {!policy.underSla && (
                  <Badge ml={6} size="xs" variant="outline" color="gray">
                    {t('sla.admin.notUnderSla')}
                  </Badge>
                )}
              </Text>
            </Table.Td>
            {CRITICALITIES.map((c) => (
              <Table.Td key={c} fz="sm" data-testid={`sla-cell-${c}`}>
                {formatHours(policy.targets[c].engagement)} / {formatHours(policy.targets[c].resolution)} {t('sla.admin.hoursUnit')}
              </Table.Td>
            ))}
            <Table.Td fz="sm">v{policy.version}</Table.Td>
            <Table.Td ta="right">
              <Button
                size="xs"
                variant="subtle"
                onClick={() => onEdit(policy)}
                aria-label={t('sla.admin.editLabel', { name: policy.requestTypeName })}
                data-testid="sla-policy-edit"
              >
                {t('common.edit')}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ListTable>
  );
}

export function ClosureDays() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const calendar = useSlaCalendar();
  const [day, setDay] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const dates = useDateFormat();

  const run = async (key: string, fn: () => Promise<unknown>, message: string) => {
    setError(null);
    setPending(key);
    try {
      const config = await fn();
      queryClient.setQueryData(slaKeys.calendar, config);
      notifications.show({ color: 'green', message });
      return true;
    } catch (e) {
      setError(e instanceof ApiError && e.code.startsWith('validation.') ? e.message : errorMessage(e));
      return false;
    } finally {
      setPending(null);
    }
  };

  const days = [...(calendar.data?.closureDays ?? [])].sort();
  return (
    <Paper withBorder p="md" data-testid="sla-closure-days">
      <Title order={2} fz="lg">
        {t('sla.admin.closureDays')}
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        {t('sla.admin.closureHint')}
      </Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
            setError(i18n.t('validation.required'));
            return;
          }
          void run('add', () => slaApi.addClosureDay(day), i18n.t('sla.admin.closureAdded', { day })).then((ok) => ok && setDay(''));
        }}
      >
        <Group align="flex-start" gap="xs">
          <TextInput
            type="date"
            label={t('sla.admin.closureDay')}
            value={day}
            onChange={(event) => setDay(event.currentTarget.value)}
            error={error}
            data-testid="sla-closure-input"
          />
          <Button type="submit" mt={25} loading={pending === 'add'} data-testid="sla-closure-add">
            {t('sla.admin.addClosure')}
          </Button>
        </Group>
      </form>
      {calendar.isError && <ErrorAlert message={errorMessage(calendar.error)} />}
      <Stack gap={4} mt="sm">
        {calendar.data && days.length === 0 && (
          <Text fz="sm" c="dimmed">
            {t('sla.admin.noClosure')}
          </Text>
        )}
        {days.map((d) => (
          <Group key={d} gap="xs" justify="space-between" maw={420} data-testid="sla-closure-day" data-day={d}>
            <Text fz="sm">{dates.day(d, 'full')}</Text>
            <Tooltip label={t('sla.admin.removeClosure', { day: d })} withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('sla.admin.removeClosure', { day: d })}
                loading={pending === d}
                onClick={() => void run(d, () => slaApi.removeClosureDay(d), i18n.t('sla.admin.closureRemoved', { day: d }))}
                data-testid="sla-closure-remove"
              >
                <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden focusable="false">
                  <path d="M6 6l12 12M18 6 6 18" />
                </svg>
              </ActionIcon>
            </Tooltip>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

type PreviewValues = { start: string; requestTypeId: string; criticality: Criticality };

export function PreviewForm({ policies }: { policies: SlaPolicy[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const format = useSlaFormat();
  const [result, setResult] = useState<SlaPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<PreviewValues>({
    initialValues: {
      start: '',
      requestTypeId: policies.find((p) => p.underSla)?.requestTypeId ?? policies[0]?.requestTypeId ?? '',
      criticality: 'high',
    },
    // The start as the server takes it: an instant (none while the field is empty or incomplete).
    validate: schemaRules(slaPreviewRequestSchema, {
      payload: (values: PreviewValues) => ({ ...values, start: zonedLocalToIso(values.start, format.timeZone) }),
      messages: { start: 'validation.required' },
    }),
  });
  return (
    <Paper withBorder p="md" data-testid="sla-preview">
      <Title order={2} fz="lg">
        {t('sla.admin.preview')}
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        {t('sla.admin.previewHint', { zone: format.timeZone })}
      </Text>
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          setResult(null);
          try {
            setResult(
              await slaApi.preview({
                start: zonedLocalToIso(values.start, format.timeZone)!,
                requestTypeId: values.requestTypeId,
                criticality: values.criticality,
              }),
            );
          } catch (e) {
            if (e instanceof ApiError && e.field && e.field in values)
              form.setFieldError(e.field, e.code.startsWith('validation.') ? e.message : errorMessage(e));
            else setError(errorMessage(e));
          }
        })}
      >
        <Stack gap="sm">
          <ErrorAlert message={error} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput type="datetime-local" label={t('sla.admin.previewStart')} required data-testid="sla-preview-start" {...form.getInputProps('start')} />
            <Select
              label={t('sla.admin.requestType')}
              required
              allowDeselect={false}
              data={policies.map((p) => ({ value: p.requestTypeId, label: p.requestTypeName }))}
              data-testid="sla-preview-type"
              {...form.getInputProps('requestTypeId')}
            />
            <Select
              label={t('sla.admin.criticality')}
              required
              allowDeselect={false}
              data={CRITICALITIES.map((c) => ({ value: c, label: CRITICALITY_LABELS[c][language] }))}
              data-testid="sla-preview-criticality"
              {...form.getInputProps('criticality')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={form.submitting} data-testid="sla-preview-submit">
              {t('sla.admin.compute')}
            </Button>
          </Group>
          {result && (
            <Table withRowBorders={false} maw={560} data-testid="sla-preview-result">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('sla.admin.countingFrom')}</Table.Td>
                  <Table.Td>{format.dateTime(result.countingFrom)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('sla.admin.engagementDeadline')}</Table.Td>
                  <Table.Td data-testid="sla-preview-engagement">
                    {format.dateTime(result.engagementDeadline)} · {format.duration(result.engagementMinutes)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('sla.admin.resolutionDeadline')}</Table.Td>
                  <Table.Td data-testid="sla-preview-resolution">
                    {format.dateTime(result.resolutionDeadline)} · {format.duration(result.resolutionMinutes)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('sla.admin.policyVersion')}</Table.Td>
                  <Table.Td>v{result.policyVersion}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

/** /admin/sla: the targets per request type, the closure days, and a preview of the deadlines they give. */
export function SlaPage() {
  const { t } = useTranslation();
  const policies = useSlaPolicies();
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  return (
    <>
      <AdminPageHeader
        title={t('sla.admin.title')}
        description={t('sla.admin.description')}
        action={
          <Group gap="xs">
            <Button component={Link} to="/admin/sla/calendar" variant="default" size="sm" data-testid="sla-calendar-link">
              {t('sla.calendar.openLink')}
            </Button>
            <Button component={Link} to="/admin/sla/report" variant="default" size="sm" data-testid="sla-report-link">
              {t('sla.calendar.reportLink')}
            </Button>
          </Group>
        }
      />
      <Stack gap="md" data-testid="page-admin-sla">
        <Paper withBorder p="md">
          <Title order={2} fz="lg" mb="sm">
            {t('sla.admin.policies')}
          </Title>
          {policies.isError ? (
            <ErrorAlert message={errorMessage(policies.error)}>
              <Button size="xs" variant="white" color="red" mt="xs" onClick={() => void policies.refetch()}>
                {t('common.retry')}
              </Button>
            </ErrorAlert>
          ) : !policies.data ? (
            <FullPageLoader />
          ) : (
            <PoliciesTable policies={policies.data} onEdit={setEditing} />
          )}
        </Paper>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <ClosureDays />
          {policies.data && <PreviewForm policies={policies.data} />}
        </SimpleGrid>
      </Stack>
      <PolicyModal policy={editing} onClose={() => setEditing(null)} />
    </>
  );
}
