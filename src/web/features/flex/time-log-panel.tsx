import { useState } from 'react';
import { useBusinessToday } from '../../lib/dates.ts';
import { Badge, Button, Card, Checkbox, Group, Modal, Skeleton, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { parseDuration } from '#shared/durations.ts';
import { createTimeEntrySchema, REVERSAL_REASON_MAX, TIME_ENTRY_MAX_MINUTES } from '#shared/flex-api.ts';
import { formatMinutes } from '#shared/durations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, errorMessage, isApiError } from '../../lib/errors.ts';
import { useSubmission } from '../../lib/submission.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { maxLength } from '../../lib/validation.ts';
import { useMe } from '../session/session.ts';
import { useDayFormat } from './flex-page.tsx';
import { flexApi, useFlexMutation, useTimeEntries, type TimeEntry, type TimeEntryInput } from './flex-api.ts';

const statusColors = { unbilled: 'gray', billed: 'blue', reversed: 'teal' } as const;

/** How a duration is prefilled in the form: what the parser reads back ("45 min", "1 h 30"). */
const durationText = (minutes: number) => (minutes < 60 ? `${minutes} min` : formatMinutes(minutes));

/** The duration typed, read as the shared parser reads it, or the message saying why it is refused. */
function readDuration(text: string): { minutes: number; error: null } | { minutes: null; error: string } {
  const parsed = parseDuration(text, { max: TIME_ENTRY_MAX_MINUTES });
  if (parsed.ok) return { minutes: parsed.minutes, error: null };
  const error = {
    empty: () => i18n.t('validation.required'),
    unreadable: () => i18n.t('flex.timeLog.durationUnreadable', { text: text.trim() }),
    zero: () => i18n.t('errors.time_entry.minutes_not_positive'),
    too_long: () => durationTooLong(),
  }[parsed.reason]();
  return { minutes: null, error };
}
const durationTooLong = () => i18n.t('flex.timeLog.durationTooLong', { hours: TIME_ENTRY_MAX_MINUTES / 60, limit: TIME_ENTRY_MAX_MINUTES });

type TimeEntryValues = Omit<TimeEntryInput, 'minutes'> & { minutes: string };
/** The entry as the server takes it, its duration as the shared parser reads it (none when it cannot). */
const entryRules = schemaRules(createTimeEntrySchema, {
  payload: (values: TimeEntryValues) => ({ ...values, minutes: readDuration(values.minutes).minutes ?? undefined }),
  messages: { minutes: (issue) => (issue.code === 'too_big' ? durationTooLong() : null) },
});
/** The parser says why a duration is refused, in the words of what was typed; the schema checks the rest. */
const timeEntryRules = (values: TimeEntryValues) => {
  const errors = entryRules(values);
  const duration = readDuration(values.minutes);
  if (duration.error) errors.minutes = duration.error;
  return errors;
};

function TimeEntryForm({
  initial,
  onSubmit,
  onCancel,
  submitLabel,
  testId,
}: {
  initial: TimeEntryInput;
  onSubmit: (values: TimeEntryInput) => Promise<unknown>;
  onCancel?: () => void;
  submitLabel: string;
  testId: string;
}) {
  const today = useBusinessToday();
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useForm<TimeEntryValues>({
    mode: 'controlled',
    initialValues: { ...initial, minutes: durationText(initial.minutes) },
    validateInputOnBlur: ['minutes'],
    validate: timeEntryRules,
  });
  const understood = readDuration(form.getValues().minutes);
  const submit = form.onSubmit(async (values) => {
    setError(null);
    setPending(true);
    try {
      await onSubmit({ ...values, minutes: readDuration(values.minutes).minutes! });
      form.reset();
    } catch (e) {
      // The server's limit, in the same words as the form's own check.
      if (isApiError(e, 'validation.too_big') && e.field === 'minutes') form.setFieldError('minutes', durationTooLong());
      else setError(applyApiError(form, e));
    } finally {
      setPending(false);
    }
  });
  return (
    <form noValidate onSubmit={submit} data-testid={testId}>
      <Stack gap={6}>
        <ErrorAlert message={error} />
        <Group gap="xs" grow align="flex-start">
          <TextInput
            label={t('flex.timeLog.duration')}
            description={
              understood.minutes !== null
                ? t('flex.timeLog.durationUnderstood', { duration: formatMinutes(understood.minutes) })
                : t('flex.timeLog.durationHint')
            }
            descriptionProps={{ 'data-testid': 'time-minutes-understood' }}
            autoComplete="off"
            required
            data-testid="time-minutes"
            {...form.getInputProps('minutes')}
          />
          <TextInput type="date" label={t('flex.timeLog.workedOn')} max={today} required data-testid="time-worked-on" {...form.getInputProps('workedOn')} />
        </Group>
        <Textarea label={t('flex.timeLog.description')} autosize minRows={1} required data-testid="time-description" {...form.getInputProps('description')} />
        <Checkbox label={t('flex.timeLog.billable')} data-testid="time-billable" {...form.getInputProps('billable', { type: 'checkbox' })} />
        <Group justify="flex-end" gap="xs">
          {onCancel && (
            <Button variant="default" size="xs" onClick={onCancel}>
              {t('flex.timeLog.cancel')}
            </Button>
          )}
          <Button type="submit" size="xs" loading={pending} data-testid={`${testId}-submit`}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EntryRow({ entry, admin }: { entry: TimeEntry; admin: boolean }) {
  const { t } = useTranslation();
  const format = useDayFormat();
  const [editing, setEditing] = useState(false);
  const [reversing, setReversing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [reason, setReason] = useState('');
  const [customerNote, setCustomerNote] = useState('');
  const correct = useFlexMutation((values: TimeEntryInput) => flexApi.correctTime(entry.id, values));
  const remove = useFlexMutation(() => flexApi.deleteTime(entry.id));
  const reverse = useFlexMutation((body: { reason: string; customerNote?: string }) => flexApi.reverseTime(entry.id, body));
  if (editing) {
    return (
      <TimeEntryForm
        initial={{ minutes: entry.minutes, workedOn: entry.workedOn, description: entry.description, billable: entry.billable }}
        onSubmit={async (values) => {
          await correct.mutateAsync(values);
          setEditing(false);
        }}
        onCancel={() => setEditing(false)}
        submitLabel={t('flex.timeLog.save')}
        testId="time-edit-form"
      />
    );
  }
  const reasonError = maxLength(REVERSAL_REASON_MAX)(reason);
  const customerNoteError = maxLength(REVERSAL_REASON_MAX)(customerNote);
  const onReverse = () => {
    if (!reason.trim() || reasonError || customerNoteError) return;
    reverse.mutate(
      { reason: reason.trim(), ...(customerNote.trim() ? { customerNote: customerNote.trim() } : {}) },
      {
        onSuccess: () => {
          setReversing(false);
          notifications.show({ color: 'green', message: i18n.t('flex.timeLog.reversed') });
        },
      },
    );
  };
  return (
    <Stack gap={2} data-testid="time-entry" data-status={entry.status}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text fz="sm" fw={600}>
          {formatMinutes(entry.minutes)}{' '}
          <Text span fz="xs" c="dimmed" fw={400}>
            {format.day(entry.workedOn)} · {entry.agent.name}
          </Text>
        </Text>
        <Group gap={4} wrap="nowrap">
          {entry.billable ? (
            <Badge size="xs" variant="light" color={statusColors[entry.status]}>
              {t(`flex.timeLog.status.${entry.status}`)}
            </Badge>
          ) : (
            <Badge size="xs" variant="outline" color="gray">
              {t('flex.timeLog.nonBillable')}
            </Badge>
          )}
        </Group>
      </Group>
      <Text fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {entry.description}
      </Text>
      <Group gap="xs">
        {entry.editable && (
          <>
            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)} data-testid="time-edit">
              {t('flex.timeLog.edit')}
            </Button>
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting(true)} data-testid="time-delete">
              {t('flex.timeLog.delete')}
            </Button>
          </>
        )}
        {admin && entry.status === 'billed' && (
          <Button size="compact-xs" variant="subtle" color="orange" onClick={() => setReversing(true)} data-testid="time-reverse">
            {t('flex.timeLog.reverse')}
          </Button>
        )}
      </Group>
      <Modal opened={reversing} onClose={() => setReversing(false)} title={t('flex.timeLog.reverse')}>
        <Stack gap="sm">
          <ErrorAlert message={reverse.isError ? errorMessage(reverse.error) : null} />
          <Textarea
            label={t('flex.timeLog.reverseReason')}
            description={t('flex.timeLog.reverseReasonHint')}
            required
            autosize
            minRows={2}
            value={reason}
            error={reasonError}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="time-reverse-reason"
          />
          <Textarea
            label={t('flex.timeLog.reverseCustomerNote')}
            description={t('flex.timeLog.reverseCustomerNoteHint')}
            autosize
            minRows={2}
            value={customerNote}
            error={customerNoteError}
            onChange={(e) => setCustomerNote(e.currentTarget.value)}
            data-testid="time-reverse-customer-note"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setReversing(false)}>
              {t('flex.timeLog.cancel')}
            </Button>
            <Button
              color="orange"
              loading={reverse.isPending}
              disabled={!reason.trim() || reasonError !== null || customerNoteError !== null}
              onClick={onReverse}
              data-testid="time-reverse-confirm"
            >
              {t('flex.timeLog.reverse')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {/* Deleting cannot be undone: the entry is named, and nothing happens until it is confirmed. */}
      <Modal opened={deleting} onClose={() => setDeleting(false)} title={t('flex.timeLog.deleteTitle')}>
        <Stack gap="sm" data-testid="time-delete-dialog">
          <ErrorAlert message={remove.isError ? errorMessage(remove.error) : null} />
          <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('flex.timeLog.deleteText', {
              time: formatMinutes(entry.minutes),
              day: format.day(entry.workedOn),
              agent: entry.agent.name,
              description: entry.description,
            })}
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDeleting(false)} data-testid="time-delete-cancel">
              {t('flex.timeLog.deleteKeep')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutateAsync(undefined).then(
                  () => {
                    setDeleting(false);
                    notifications.show({ color: 'green', message: i18n.t('flex.timeLog.deleted') });
                  },
                  () => {}, // shown in the dialog
                )
              }
              data-testid="time-delete-confirm"
            >
              {t('flex.timeLog.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** Staff on a request page: the time logged on it, and a form to log more (DESIGN.md §2 "Flex"). */
export function TimeLogPanel({ ticketKey }: { ticketKey: string }) {
  const today = useBusinessToday();
  const { t } = useTranslation();
  const { data: me } = useMe();
  const entries = useTimeEntries(ticketKey);
  const submission = useSubmission();
  const log = useFlexMutation((values: TimeEntryInput) => submission(values, (key) => flexApi.logTime(ticketKey, values, key)));
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder padding="md" data-testid="time-log-panel">
      <Group justify="space-between" mb={8}>
        <Text fw={600} fz="sm" component="h2">
          {t('flex.timeLog.title')}
        </Text>
        {!open && (
          <Button size="compact-sm" variant="light" onClick={() => setOpen(true)} data-testid="time-log-open">
            {t('flex.timeLog.log')}
          </Button>
        )}
      </Group>
      {entries.isPending ? (
        <Skeleton h={60} />
      ) : entries.isError ? (
        <ErrorAlert message={errorMessage(entries.error)} />
      ) : (
        <Stack gap="sm">
          {entries.data.flexBilled && (
            <Text fz="xs" c="dimmed">
              {t('flex.timeLog.flexHint')}
            </Text>
          )}
          {open && (
            <TimeEntryForm
              initial={{ minutes: 30, workedOn: today, description: '', billable: true }}
              onSubmit={async (values) => {
                await log.mutateAsync(values);
                notifications.show({ color: 'green', message: i18n.t('flex.timeLog.logged') });
                setOpen(false);
              }}
              onCancel={() => setOpen(false)}
              submitLabel={t('flex.timeLog.log')}
              testId="time-log-form"
            />
          )}
          {entries.data.entries.length === 0 ? (
            <Text fz="sm" c="dimmed">
              {t('flex.timeLog.empty')}
            </Text>
          ) : (
            entries.data.entries.map((entry) => <EntryRow key={entry.id} entry={entry} admin={me?.role === 'admin'} />)
          )}
          <Text fz="xs" c="dimmed" data-testid="time-total">
            {t('flex.timeLog.total', { total: formatMinutes(entries.data.totalMinutes), billable: formatMinutes(entries.data.billableMinutes) })}
          </Text>
        </Stack>
      )}
    </Card>
  );
}
