import { useState } from 'react';
import { ActionIcon, Button, Checkbox, Group, Input, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { ME_KEY } from '../session/session.ts';
import { WEEKDAYS, slaApi, slaKeys, useSlaCalendar, useSlaPolicies, type FullCalendarConfig, type Weekday } from '../sla/sla-api.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { ClosureDays, PreviewForm } from './sla-page.tsx';

type FieldErrors = Record<string, string>;

/**
 * The server refuses a calendar whole, naming the field: the route's validation answers with the
 * first problem ("field: message"), the command's CalendarConfigError with all of them after its
 * prefix ("field: message; field: message"). Spread them onto the fields they name.
 */
export function calendarFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const body = error.message.replace(/^Invalid business calendar:\s*/, '');
  const errors: FieldErrors = {};
  for (const part of body.split('; ')) {
    const at = part.indexOf(': ');
    if (at > 0) errors[part.slice(0, at)] ??= part.slice(at + 2);
  }
  if (!Object.keys(errors).length) errors[error.field] = error.message;
  return errors;
}

function DayEditor({
  day,
  intervals,
  errors,
  onChange,
}: {
  day: Weekday;
  intervals: FullCalendarConfig['weekly'][Weekday];
  errors: FieldErrors;
  onChange: (next: FullCalendarConfig['weekly'][Weekday]) => void;
}) {
  const { t } = useTranslation();
  const dayName = t(`sla.calendar.days.${day}` as 'sla.calendar.days.1');
  return (
    <Group align="flex-start" gap="sm" wrap="wrap" data-testid="calendar-day" data-day={day}>
      {/* On a phone the day's name takes its own line, and the times share what is left. */}
      <Text fz="sm" fw={500} w={{ base: '100%', sm: 100 }} pt={{ base: 0, sm: 6 }}>
        {dayName}
      </Text>
      <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
        {intervals.length === 0 && (
          <Text fz="sm" c="dimmed" pt={6}>
            {t('sla.calendar.closed')}
          </Text>
        )}
        {intervals.map((interval, index) => {
          const rowError = errors[`weekly.${day}.${index}`];
          const set = (key: 'start' | 'end', value: string) => onChange(intervals.map((it, i) => (i === index ? { ...it, [key]: value } : it)));
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: an interval has no identity but its place in the day.
            <Stack key={index} gap={2} data-testid="calendar-interval" data-index={index}>
              <Group gap="xs" align="flex-start" wrap="nowrap">
                <TextInput
                  type="time"
                  size="xs"
                  style={{ flex: 1, minWidth: 0, maxWidth: 140 }}
                  aria-label={`${dayName} ${t('sla.calendar.start')}`}
                  value={interval.start}
                  onChange={(e) => set('start', e.currentTarget.value)}
                  error={errors[`weekly.${day}.${index}.start`]}
                  data-testid="calendar-interval-start"
                />
                <Text pt={4}>–</Text>
                <TextInput
                  type="time"
                  size="xs"
                  style={{ flex: 1, minWidth: 0, maxWidth: 140 }}
                  aria-label={`${dayName} ${t('sla.calendar.end')}`}
                  value={interval.end}
                  onChange={(e) => set('end', e.currentTarget.value)}
                  error={errors[`weekly.${day}.${index}.end`]}
                  data-testid="calendar-interval-end"
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={2}
                  aria-label={t('sla.calendar.removeInterval', { day: dayName, start: interval.start, end: interval.end })}
                  onClick={() => onChange(intervals.filter((_, i) => i !== index))}
                  data-testid="calendar-interval-remove"
                >
                  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden focusable="false">
                    <path d="M6 6l12 12M18 6 6 18" />
                  </svg>
                </ActionIcon>
              </Group>
              {rowError && <Input.Error data-testid="calendar-interval-error">{rowError}</Input.Error>}
            </Stack>
          );
        })}
      </Stack>
      <Button
        size="xs"
        variant="subtle"
        onClick={() => onChange([...intervals, { start: intervals.at(-1)?.end ?? '08:00', end: '18:00' }])}
        aria-label={t('sla.calendar.addInterval', { day: dayName })}
        data-testid="calendar-interval-add"
      >
        +
      </Button>
    </Group>
  );
}

function CalendarForm({ initial }: { initial: FullCalendarConfig }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<FullCalendarConfig>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const holidays = draft.holidays;

  const save = async () => {
    setErrors({});
    setGeneral(null);
    setSaving(true);
    try {
      // Closure days are edited beside; keep the stored ones.
      const current = queryClient.getQueryData<FullCalendarConfig>(slaKeys.calendar);
      const saved = await slaApi.saveCalendar({ ...draft, closureDays: current?.closureDays ?? draft.closureDays });
      queryClient.setQueryData(slaKeys.calendar, saved);
      // The calendar's zone is the default one times are shown in.
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      setDraft(saved);
      notifications.show({ color: 'green', message: i18n.t('sla.calendar.saved') });
    } catch (e) {
      const fieldErrors = calendarFieldErrors(e);
      if (fieldErrors) {
        setErrors(fieldErrors);
        if (fieldErrors.weekly) setGeneral(fieldErrors.weekly);
      } else setGeneral(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      noValidate
      data-testid="calendar-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="md">
        <ErrorAlert message={general} />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Paper withBorder p="md">
            <Title order={2} fz="lg" mb="sm">
              {t('sla.calendar.weekly')}
            </Title>
            <Stack gap="sm">
              {WEEKDAYS.map((day) => (
                <DayEditor
                  key={day}
                  day={day}
                  intervals={draft.weekly[day]}
                  errors={errors}
                  onChange={(next) => setDraft({ ...draft, weekly: { ...draft.weekly, [day]: next } })}
                />
              ))}
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Title order={2} fz="lg" mb="sm">
              {t('sla.calendar.general')}
            </Title>
            <Stack gap="sm">
              <TextInput
                label={t('sla.calendar.timeZone')}
                description={t('sla.calendar.timeZoneHint')}
                value={draft.timeZone}
                onChange={(e) => setDraft({ ...draft, timeZone: e.currentTarget.value })}
                error={errors.timeZone}
                data-testid="calendar-time-zone"
              />
              <Checkbox
                label={t('sla.calendar.holidaysEnabled')}
                checked={holidays !== null}
                onChange={(e) => setDraft({ ...draft, holidays: e.currentTarget.checked ? { country: 'CH', region: 'BE' } : null })}
                data-testid="calendar-holidays-enabled"
              />
              {holidays && (
                <Group grow align="flex-start">
                  <TextInput
                    label={t('sla.calendar.country')}
                    description={t('sla.calendar.countryHint')}
                    value={holidays.country}
                    onChange={(e) => setDraft({ ...draft, holidays: { ...holidays, country: e.currentTarget.value.toUpperCase() } })}
                    error={errors['holidays.country'] ?? errors.holidays}
                    data-testid="calendar-country"
                  />
                  <TextInput
                    label={t('sla.calendar.region')}
                    description={t('sla.calendar.regionHint')}
                    value={holidays.region ?? ''}
                    onChange={(e) => {
                      const region = e.currentTarget.value.toUpperCase();
                      const { region: _dropped, ...rest } = holidays;
                      setDraft({ ...draft, holidays: region ? { ...rest, region } : rest });
                    }}
                    error={errors['holidays.region']}
                    data-testid="calendar-region"
                  />
                </Group>
              )}
              <Checkbox
                label={t('sla.calendar.eveEnabled')}
                checked={draft.eveClosing !== null}
                onChange={(e) => setDraft({ ...draft, eveClosing: e.currentTarget.checked ? '16:00' : null })}
                data-testid="calendar-eve-enabled"
              />
              {draft.eveClosing !== null && (
                <TextInput
                  type="time"
                  maw={200}
                  label={t('sla.calendar.eveClosing')}
                  value={draft.eveClosing}
                  onChange={(e) => setDraft({ ...draft, eveClosing: e.currentTarget.value })}
                  error={errors.eveClosing}
                  data-testid="calendar-eve-closing"
                />
              )}
            </Stack>
          </Paper>
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={saving} data-testid="calendar-save">
            {t('sla.calendar.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** /admin/sla/calendar: the weekly hours, time zone, public holidays and eve closing; closure days; the deadline preview. */
export function SlaCalendarPage() {
  const { t } = useTranslation();
  const calendar = useSlaCalendar();
  const policies = useSlaPolicies();
  return (
    <>
      <AdminPageHeader title={t('sla.calendar.title')} description={t('sla.calendar.description')} />
      <Stack gap="md" data-testid="page-admin-sla-calendar">
        {calendar.isError ? (
          <ErrorAlert message={errorMessage(calendar.error)}>
            <Button size="xs" variant="white" color="red" mt="xs" onClick={() => void calendar.refetch()}>
              {t('common.retry')}
            </Button>
          </ErrorAlert>
        ) : !calendar.data ? (
          <FullPageLoader />
        ) : (
          <CalendarForm initial={calendar.data} />
        )}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <ClosureDays />
          {policies.data && <PreviewForm policies={policies.data} />}
        </SimpleGrid>
      </Stack>
    </>
  );
}
