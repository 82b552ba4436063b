import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, zoneRules } from './business-calendar.ts';
import { CalendarConfigError, parseCalendarConfig } from './calendar-config.ts';

// Instants are written with their Zurich offset by hand (+02:00 CEST, +01:00 CET), so the
// expectations do not rely on the time-zone code under test.
const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const calendar = createBusinessCalendar();

describe('public holidays of CH-BE from date-holidays', () => {
  it('closes on the public holidays of 2026 and 2027, Berchtoldstag included', () => {
    expect(calendar.publicHolidays(2026).map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-05-14',
      '2026-05-24',
      '2026-05-25',
      '2026-08-01',
      '2026-09-20',
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(calendar.publicHolidays(2027).map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-01-02',
      '2027-03-26',
      '2027-03-28',
      '2027-03-29',
      '2027-05-06',
      '2027-05-16',
      '2027-05-17',
      '2027-08-01',
      '2027-09-19',
      '2027-12-25',
      '2027-12-26',
    ]);
  });

  it('keeps only type "public": Maundy Thursday (an observance) is an ordinary day', () => {
    expect(calendar.isOpen(at('2026-04-02T10:00:00+02:00'))).toBe(true);
  });
});

describe('addBusinessTime: the deadlines of DESIGN §2', () => {
  it('Critique engagement from Friday 31 July 2026 15:45, the eve of the national day, is Monday 08:45', () => {
    expect(calendar.addBusinessTime(at('2026-07-31T15:45:00+02:00'), 1 * HOUR)).toEqual(at('2026-08-03T08:45:00+02:00'));
  });

  it('8 business hours from Maundy Thursday 15:00 end on Tuesday after Easter at 16:30', () => {
    // 1 h on Thursday (closing at 16:00), Good Friday to Easter Monday closed, 4 h + 3 h on Tuesday.
    expect(calendar.addBusinessTime(at('2026-04-02T15:00:00+02:00'), 8 * HOUR)).toEqual(at('2026-04-07T16:30:00+02:00'));
  });

  it('Basse resolution (160 h) across the October 2026 change to winter time', () => {
    // Wed 30 Sep from 10:00: 6.5 h; Thu 1 Oct 8.5; Fri 2 Oct 7.5 → 22.5 h.
    // Three full weeks of 41.5 h → 147 h on Friday 23 Oct. Clocks go back on Sunday 25 Oct.
    // Mon 26 Oct 8.5 h → 155.5 h; Tue 27 Oct 08–12 → 159.5 h, then 30 min from 13:30 → 14:00 CET.
    const start = at('2026-09-30T10:00:00+02:00');
    const deadline = calendar.addBusinessTime(start, 160 * HOUR);
    expect(deadline).toEqual(at('2026-10-27T14:00:00+01:00'));
    expect(calendar.businessTimeBetween(start, deadline)).toBe(160 * HOUR);
  });

  it('across the March 2026 change to summer time', () => {
    // Fri 27 Mar 16:00 CET: 1 h; clocks go forward on Sunday 29 Mar; Mon 30 Mar 08:00 CEST + 1 h.
    expect(calendar.addBusinessTime(at('2026-03-27T16:00:00+01:00'), 2 * HOUR)).toEqual(at('2026-03-30T09:00:00+02:00'));
  });

  it('year end 2026: 31 Dec closes at 16:00, 1 and 2 January are holidays', () => {
    // Thu 31 Dec 15:00 → 16:00 is 1 h; Fri 1 Jan, Sat 2 Jan, Sun 3 Jan closed; Mon 4 Jan 08:00 + 3 h.
    expect(calendar.addBusinessTime(at('2026-12-31T15:00:00+01:00'), 4 * HOUR)).toEqual(at('2027-01-04T11:00:00+01:00'));
  });

  it('year end 2029: Berchtoldstag on a Wednesday is closed', () => {
    // Mon 31 Dec 2029 14:00 → 16:00 (eve) 2 h; Tue 1 and Wed 2 Jan 2030 closed; Thu 3 Jan 08:00 + 2 h.
    expect(calendar.isOpen(at('2030-01-02T10:00:00+01:00'))).toBe(false);
    expect(calendar.addBusinessTime(at('2029-12-31T14:00:00+01:00'), 4 * HOUR)).toEqual(at('2030-01-03T10:00:00+01:00'));
  });

  it('a request created outside business hours starts counting at the next opening', () => {
    expect(calendar.addBusinessTime(at('2026-07-04T10:00:00+02:00'), HOUR)).toEqual(at('2026-07-06T09:00:00+02:00'));
    expect(calendar.addBusinessTime(at('2026-07-06T12:10:00+02:00'), HOUR)).toEqual(at('2026-07-06T14:30:00+02:00'));
  });

  it('reaching a target exactly at a closing gives the closing, not the next opening', () => {
    expect(calendar.addBusinessTime(at('2026-07-06T08:00:00+02:00'), 4 * HOUR)).toEqual(at('2026-07-06T12:00:00+02:00'));
    expect(calendar.addBusinessTime(at('2026-07-10T16:00:00+02:00'), HOUR)).toEqual(at('2026-07-10T17:00:00+02:00'));
  });

  it('adding 0 returns the start itself, even when it is closed', () => {
    const saturday = at('2026-07-04T10:00:00+02:00');
    expect(calendar.addBusinessTime(saturday, 0)).toEqual(saturday);
    expect(calendar.nextOpening(saturday)).toEqual(at('2026-07-06T08:00:00+02:00'));
  });

  it('is exact to the millisecond', () => {
    expect(calendar.addBusinessTime(at('2026-07-06T11:59:59.999+02:00'), 2)).toEqual(at('2026-07-06T13:30:00.001+02:00'));
  });

  it('refuses negative, fractional or non-finite durations and invalid instants', () => {
    const monday = at('2026-07-06T08:00:00+02:00');
    expect(() => calendar.addBusinessTime(monday, -1)).toThrow(RangeError);
    expect(() => calendar.addBusinessTime(monday, 1.5)).toThrow(RangeError);
    expect(() => calendar.addBusinessTime(monday, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => calendar.addBusinessTime(new Date('nope'), 1)).toThrow(RangeError);
  });
});

describe('eves and closure days', () => {
  it('ends business at 16:00 on the day before a public holiday', () => {
    // Wednesday 13 May 2026, before Ascension.
    expect(calendar.openIntervals(at('2026-05-13T00:00:00+02:00'), at('2026-05-14T00:00:00+02:00'))).toEqual([
      { start: at('2026-05-13T08:00:00+02:00'), end: at('2026-05-13T12:00:00+02:00') },
      { start: at('2026-05-13T13:30:00+02:00'), end: at('2026-05-13T16:00:00+02:00') },
    ]);
    // Friday 31 July 2026, before a Saturday holiday.
    expect(calendar.isOpen(at('2026-07-31T15:59:59.999+02:00'))).toBe(true);
    expect(calendar.isOpen(at('2026-07-31T16:00:00+02:00'))).toBe(false);
    // The Friday before, an ordinary Friday, closes at 17:00.
    expect(calendar.isOpen(at('2026-07-24T16:30:00+02:00'))).toBe(true);
  });

  it('closes all day on a closure day, with no eve the day before', () => {
    const withClosure = createBusinessCalendar({ closureDays: ['2026-03-16'] });
    // Friday 13 March keeps its 17:00 closing; Monday 16 March is closed.
    expect(withClosure.isOpen(at('2026-03-13T16:30:00+01:00'))).toBe(true);
    expect(withClosure.isOpen(at('2026-03-16T10:00:00+01:00'))).toBe(false);
    expect(withClosure.addBusinessTime(at('2026-03-13T16:30:00+01:00'), HOUR)).toEqual(at('2026-03-17T08:30:00+01:00'));
    expect(calendar.addBusinessTime(at('2026-03-13T16:30:00+01:00'), HOUR)).toEqual(at('2026-03-16T08:30:00+01:00'));
    // Thursday 2 April is the eve of Good Friday, not of a closure day.
    const closedBeforeEaster = createBusinessCalendar({ closureDays: ['2026-04-01'] });
    expect(closedBeforeEaster.isOpen(at('2026-03-31T17:30:00+02:00'))).toBe(true);
    expect(closedBeforeEaster.isOpen(at('2026-04-02T16:30:00+02:00'))).toBe(false);
  });

  it('can turn the eve rule and the holidays off', () => {
    const plain = createBusinessCalendar({ eveClosing: null, holidays: null });
    expect(plain.isOpen(at('2026-07-31T16:30:00+02:00'))).toBe(true);
    expect(plain.isOpen(at('2026-12-25T10:00:00+01:00'))).toBe(true);
  });
});

describe('isOpen, nextOpening, openIntervals, businessTimeBetween', () => {
  it('treats intervals as half-open [opening, closing)', () => {
    expect(calendar.isOpen(at('2026-07-06T08:00:00+02:00'))).toBe(true);
    expect(calendar.isOpen(at('2026-07-06T07:59:59.999+02:00'))).toBe(false);
    expect(calendar.isOpen(at('2026-07-06T11:59:59.999+02:00'))).toBe(true);
    expect(calendar.isOpen(at('2026-07-06T12:00:00+02:00'))).toBe(false);
    expect(calendar.nextOpening(at('2026-07-06T12:00:00+02:00'))).toEqual(at('2026-07-06T13:30:00+02:00'));
    expect(calendar.nextOpening(at('2026-07-06T09:15:00+02:00'))).toEqual(at('2026-07-06T09:15:00+02:00'));
    expect(calendar.nextOpening(at('2026-07-10T17:00:00+02:00'))).toEqual(at('2026-07-13T08:00:00+02:00'));
    expect(calendar.nextOpening(at('2026-12-31T16:00:00+01:00'))).toEqual(at('2027-01-04T08:00:00+01:00'));
  });

  it('counts 8.5 h on Monday to Thursday, 7.5 h on Friday, 41.5 h a week', () => {
    expect(calendar.businessTimeBetween(at('2026-07-06T00:00:00+02:00'), at('2026-07-07T00:00:00+02:00'))).toBe(8.5 * HOUR);
    expect(calendar.businessTimeBetween(at('2026-07-10T00:00:00+02:00'), at('2026-07-11T00:00:00+02:00'))).toBe(7.5 * HOUR);
    expect(calendar.businessTimeBetween(at('2026-07-06T00:00:00+02:00'), at('2026-07-13T00:00:00+02:00'))).toBe(41.5 * HOUR);
    expect(calendar.businessTimeBetween(at('2026-07-13T00:00:00+02:00'), at('2026-07-06T00:00:00+02:00'))).toBe(0);
  });

  it('gives the open intervals of a range as UTC instants, clipped to the range', () => {
    expect(calendar.openIntervals(at('2026-10-23T10:00:00+02:00'), at('2026-10-26T09:00:00+01:00'))).toEqual([
      { start: at('2026-10-23T10:00:00+02:00'), end: at('2026-10-23T12:00:00+02:00') },
      { start: at('2026-10-23T13:30:00+02:00'), end: at('2026-10-23T17:00:00+02:00') },
      { start: at('2026-10-26T08:00:00+01:00'), end: at('2026-10-26T09:00:00+01:00') },
    ]);
  });

  it('counts one business year the same through openIntervals and businessTimeBetween', () => {
    const from = at('2026-01-01T00:00:00+01:00');
    const to = at('2027-01-01T00:00:00+01:00');
    const sum = calendar.openIntervals(from, to).reduce((total, i) => total + (i.end.getTime() - i.start.getTime()), 0);
    expect(calendar.businessTimeBetween(from, to)).toBe(sum);
    // 52 weeks + Thursday 31 Dec, minus the weekday holidays and eves of 2026.
    // Weekday holidays: 1 Jan (Thu), 2 Jan (Fri), 3 Apr (Fri), 6 Apr (Mon), 14 May (Thu), 25 May (Mon), 25 Dec (Fri).
    // Eves on weekdays: 2 Apr (Thu, −2 h), 13 May (Wed, −2 h), 31 Jul (Fri, −1 h), 24 Dec (Thu, −2 h), 31 Dec (Thu, −2 h).
    const weeks = 52 * 41.5 + 8.5;
    const holidays = 8.5 + 7.5 + 7.5 + 8.5 + 8.5 + 8.5 + 7.5;
    const eves = 2 + 2 + 1 + 2 + 2;
    expect(sum).toBe((weeks - holidays - eves) * HOUR);
  });
});

describe('addBusinessDays', () => {
  it('is the same local time on the n-th following open day', () => {
    expect(calendar.addBusinessDays(at('2026-07-06T10:00:00+02:00'), 2)).toEqual(at('2026-07-08T10:00:00+02:00'));
    expect(calendar.addBusinessDays(at('2026-07-30T10:00:00+02:00'), 1)).toEqual(at('2026-07-31T10:00:00+02:00'));
    expect(calendar.addBusinessDays(at('2026-07-30T10:00:00+02:00'), 2)).toEqual(at('2026-08-03T10:00:00+02:00'));
    // From a Saturday, the first following open day is Monday.
    expect(calendar.addBusinessDays(at('2026-07-04T10:00:00+02:00'), 1)).toEqual(at('2026-07-06T10:00:00+02:00'));
    // Easter: Thursday → Tuesday.
    expect(calendar.addBusinessDays(at('2026-04-02T09:00:00+02:00'), 1)).toEqual(at('2026-04-07T09:00:00+02:00'));
  });

  it('keeps the local time across a change of clocks', () => {
    expect(calendar.addBusinessDays(at('2026-10-23T10:00:00+02:00'), 1)).toEqual(at('2026-10-26T10:00:00+01:00'));
    expect(calendar.addBusinessDays(at('2026-03-27T10:00:00+01:00'), 1)).toEqual(at('2026-03-30T10:00:00+02:00'));
  });

  it('moves to the next opening when that moment is closed', () => {
    // Thursday 16:30 + 1 → Friday 31 July 16:30, closed on the eve → Monday 08:00.
    expect(calendar.addBusinessDays(at('2026-07-30T16:30:00+02:00'), 1)).toEqual(at('2026-08-03T08:00:00+02:00'));
    // Lunch break.
    expect(calendar.addBusinessDays(at('2026-07-06T12:30:00+02:00'), 1)).toEqual(at('2026-07-07T13:30:00+02:00'));
    // Monday 19:00 + 1 → Tuesday 19:00, closed → Wednesday 08:00.
    expect(calendar.addBusinessDays(at('2026-07-06T19:00:00+02:00'), 1)).toEqual(at('2026-07-08T08:00:00+02:00'));
  });

  it('does not count closure days, and 0 days is the instant itself', () => {
    const withClosure = createBusinessCalendar({ closureDays: ['2026-07-07'] });
    expect(withClosure.addBusinessDays(at('2026-07-06T10:00:00+02:00'), 1)).toEqual(at('2026-07-08T10:00:00+02:00'));
    expect(calendar.addBusinessDays(at('2026-07-04T10:00:00+02:00'), 0)).toEqual(at('2026-07-04T10:00:00+02:00'));
    expect(() => calendar.addBusinessDays(at('2026-07-04T10:00:00+02:00'), -1)).toThrow(RangeError);
  });
});

describe('time zones and changes of clocks', () => {
  it('converts wall times in gaps and overlaps to the earliest instant reading that time or later', () => {
    const zurich = zoneRules('Europe/Zurich');
    const wall = (iso: string) => Date.parse(`${iso}Z`);
    expect(zurich.resolveWallTime(wall('2026-07-06T10:00:00'))).toBe(Date.parse('2026-07-06T10:00:00+02:00'));
    expect(zurich.resolveWallTime(wall('2026-01-06T10:00:00'))).toBe(Date.parse('2026-01-06T10:00:00+01:00'));
    // 29 March 2026: 02:00–03:00 does not exist; it resolves to the change, 03:00 CEST.
    expect(zurich.resolveWallTime(wall('2026-03-29T02:30:00'))).toBe(Date.parse('2026-03-29T03:00:00+02:00'));
    expect(zurich.resolveWallTime(wall('2026-03-29T03:00:00'))).toBe(Date.parse('2026-03-29T03:00:00+02:00'));
    expect(zurich.resolveWallTime(wall('2026-03-29T01:59:59.999'))).toBe(Date.parse('2026-03-29T01:59:59.999+01:00'));
    // 25 October 2026: 02:00–03:00 happens twice; the first one counts.
    expect(zurich.resolveWallTime(wall('2026-10-25T02:30:00'))).toBe(Date.parse('2026-10-25T02:30:00+02:00'));
    expect(zurich.resolveWallTime(wall('2026-10-25T03:00:00'))).toBe(Date.parse('2026-10-25T03:00:00+01:00'));
    expect(zurich.offsetAt(Date.parse('2026-10-25T00:59:59.999Z'))).toBe(2 * HOUR);
    expect(zurich.offsetAt(Date.parse('2026-10-25T01:00:00Z'))).toBe(1 * HOUR);
  });

  it('has 23- and 25-hour days for a desk open around the clock', () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const always = createBusinessCalendar({
      weekly: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
      holidays: null,
    });
    const day = (from: string, to: string) => always.businessTimeBetween(at(from), at(to));
    expect(day('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * HOUR);
    expect(day('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * HOUR);
    // Touching intervals are reported as one.
    expect(always.openIntervals(at('2026-10-24T12:00:00+02:00'), at('2026-10-26T12:00:00+01:00'))).toHaveLength(1);
    expect(always.addBusinessTime(at('2026-10-25T00:00:00+02:00'), 25 * HOUR)).toEqual(at('2026-10-26T00:00:00+01:00'));
  });

  it('gives a skipped opening hour no business time and a repeated one its real length', () => {
    const night = [{ start: '02:00', end: '03:00' }];
    const nightly = createBusinessCalendar({
      weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: night },
      holidays: null,
    });
    expect(nightly.businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(0);
    expect(nightly.businessTimeBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(2 * HOUR);
    expect(nightly.businessTimeBetween(at('2026-11-01T00:00:00+01:00'), at('2026-11-02T00:00:00+01:00'))).toBe(HOUR);
  });

  it('works in another zone', () => {
    const newYork = createBusinessCalendar({ timeZone: 'America/New_York', holidays: { country: 'US' } });
    // US clocks go forward on Sunday 8 March 2026; Friday 6 March 16:30 EST + 1 h → Monday 9:30 EDT.
    expect(newYork.addBusinessTime(at('2026-03-06T16:30:00-05:00'), HOUR)).toEqual(at('2026-03-09T08:30:00-04:00'));
    expect(newYork.isOpen(at('2026-07-03T10:00:00-04:00'))).toBe(false); // Independence Day observed
  });
});

describe('calendar configuration', () => {
  const issuesOf = (input: unknown) => {
    try {
      parseCalendarConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarConfigError);
      return (error as CalendarConfigError).issues;
    }
    throw new Error('expected the configuration to be refused');
  };
  const week = (monday: unknown) => ({ 1: monday, 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] });

  it('defaults to Guichet’s Swiss calendar', () => {
    const config = parseCalendarConfig({});
    expect(config.timeZone).toBe('Europe/Zurich');
    expect(config.weekly[5]).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:30', end: '17:00' },
    ]);
    expect(config.weekly[6]).toEqual([]);
    expect(config.holidays).toEqual({ country: 'CH', region: 'BE' });
    expect(config.eveClosing).toBe('16:00');
    expect(config.closureDays).toEqual([]);
  });

  it('names the field of every problem', () => {
    expect(issuesOf({ timeZone: 'Europe/Atlantis' })).toEqual([{ field: 'timeZone', message: expect.stringContaining('time zone') }]);
    expect(issuesOf({ weekly: week([{ start: '8:00', end: '12:00' }]) })).toEqual([{ field: 'weekly.1.0.start', message: expect.stringContaining('HH:MM') }]);
    expect(issuesOf({ weekly: week([{ start: '08:00', end: '24:01' }]) })[0]?.field).toBe('weekly.1.0.end');
    expect(issuesOf({ weekly: week([{ start: '12:00', end: '08:00' }]) })).toEqual([
      { field: 'weekly.1.0.end', message: expect.stringContaining('after start') },
    ]);
    expect(
      issuesOf({
        weekly: week([
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ]),
      }),
    ).toEqual([{ field: 'weekly.1.1', message: expect.stringContaining('overlaps') }]);
    expect(issuesOf({ weekly: week([]) })).toEqual([{ field: 'weekly', message: expect.stringContaining('opening hours') }]);
    expect(issuesOf({ holidays: { country: 'XX' } })).toEqual([{ field: 'holidays.country', message: expect.stringContaining('XX') }]);
    expect(issuesOf({ holidays: { country: 'CH', region: 'ZZ' } })).toEqual([{ field: 'holidays.region', message: expect.stringContaining('ZZ') }]);
    expect(issuesOf({ eveClosing: '25:00' })[0]?.field).toBe('eveClosing');
    expect(issuesOf({ closureDays: ['2026-12-24', '2026-02-30', '24.12.2026'] }).map((i) => i.field)).toEqual(['closureDays.1', 'closureDays.2']);
    expect(issuesOf({ closeDays: [] })[0]?.message).toMatch(/closeDays/);
  });

  it('accepts touching intervals and reports every problem at once', () => {
    expect(() =>
      parseCalendarConfig({
        weekly: week([
          { start: '08:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
        ]),
      }),
    ).not.toThrow();
    expect(issuesOf({ timeZone: 'Nowhere', eveClosing: 'soon' }).map((i) => i.field)).toEqual(['timeZone', 'eveClosing']);
  });

  it('throws a 400 error naming the first field', () => {
    expect(() => createBusinessCalendar({ timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ status: 400, code: 'sla.calendar_invalid', field: 'timeZone' }),
    );
  });
});
