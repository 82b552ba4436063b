/** The pure arithmetic of the countdown (DESIGN.md §2 "Automatic closure"), on the default business calendar. */
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../calendar/business-calendar.ts';
import { addCalendarDays, nextStep } from './countdown.ts';
import { DEFAULT_LIFECYCLE_RULES } from './rules.ts';

const calendar = createBusinessCalendar();
const at = (iso: string) => new Date(iso);

describe('nextStep', () => {
  it('while waiting: first reminder after 5 business days, second after 10, resolution after 15 — all from the start of the wait', () => {
    const since = at('2026-02-02T08:00:00Z'); // Monday 09:00 in Zurich
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'waiting_customer', since })).toEqual({
      action: 'reminder_1',
      dueAt: at('2026-02-09T08:00:00Z'),
    });
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'waiting_customer', since, after: 'reminder_1' })).toEqual({
      action: 'reminder_2',
      dueAt: at('2026-02-16T08:00:00Z'),
    });
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'waiting_customer', since, after: 'reminder_2' })).toEqual({
      action: 'resolve',
      dueAt: at('2026-02-23T08:00:00Z'),
    });
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'waiting_customer', since, after: 'resolve' })).toBeNull();
  });

  it('counts business days: public holidays and weekends are skipped (Easter 2026 in Bern)', () => {
    // Wednesday 1 April 10:00; Good Friday 3 April and Easter Monday 6 April are closed.
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'waiting_customer', since: at('2026-04-01T08:00:00Z') })!.dueAt).toEqual(
      at('2026-04-10T08:00:00Z'),
    );
  });

  it('resolved: closes 10 calendar days after the resolution; other statuses have no automatic step', () => {
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'resolved', since: at('2026-02-23T08:00:00Z') })).toEqual({
      action: 'close',
      dueAt: at('2026-03-05T08:00:00Z'),
    });
    expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status: 'resolved', since: at('2026-02-23T08:00:00Z'), after: 'close' })).toBeNull();
    for (const status of ['open', 'qualified', 'in_progress', 'waiting_third_party', 'closed', 'canceled'] as const) {
      expect(nextStep(DEFAULT_LIFECYCLE_RULES, calendar, { status, since: at('2026-02-23T08:00:00Z') })).toBeNull();
    }
  });
});

describe('addCalendarDays', () => {
  it('keeps the local time across a daylight-saving change', () => {
    // Wednesday 25 March 2026 10:00 CET (09:00Z) + 10 days = Saturday 4 April 10:00 CEST (08:00Z).
    expect(addCalendarDays(at('2026-03-25T09:00:00Z'), 10, 'Europe/Zurich')).toEqual(at('2026-04-04T08:00:00Z'));
    expect(addCalendarDays(at('2026-10-20T08:00:00Z'), 10, 'Europe/Zurich')).toEqual(at('2026-10-30T09:00:00Z'));
  });
});
