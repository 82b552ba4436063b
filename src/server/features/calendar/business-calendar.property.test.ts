import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, zoneRules } from './business-calendar.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEARS = [2025, 2026, 2027, 2028, 2029, 2030];

const calendar = createBusinessCalendar();
const zurich = zoneRules('Europe/Zurich');
const runs = { numRuns: 1000 };

// --- Generators -------------------------------------------------------------------------------

const wallDate = (date: string, time = '00:00') => Date.parse(`${date}T${time}:00Z`);

/** Days around which the calendar is most likely wrong: holidays, their eves, changes of clocks. */
const anchors: number[] = YEARS.flatMap((year) => {
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month, 0));
    return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay());
  };
  return [lastSunday(3), lastSunday(10), ...calendar.publicHolidays(year).map((h) => wallDate(h.date)), wallDate(`${year}-12-24`)].map((wall) =>
    zurich.resolveWallTime(wall),
  );
});

const anyInstant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2031-01-01T00:00:00Z') });
const nearAnAnchor = fc.tuple(fc.constantFrom(...anchors), fc.integer({ min: -6 * DAY, max: 6 * DAY })).map(([anchor, shift]) => anchor + shift);
/** An opening or closing time of some day (or 1 ms either side), in Zurich wall time. */
const atABoundary = fc
  .tuple(
    fc.integer({ min: wallDate('2025-01-01') / DAY, max: wallDate('2030-12-31') / DAY }),
    fc.constantFrom('00:00', '08:00', '12:00', '13:30', '16:00', '17:00', '18:00'),
    fc.constantFrom(-1, 0, 1),
  )
  .map(([day, time, nudge]) => zurich.resolveWallTime(day * DAY + (Date.parse(`1970-01-01T${time}:00Z`) + nudge)));
const instant = fc.oneof(anyInstant, nearAnAnchor, atABoundary);

const duration = fc.oneof(
  fc.integer({ min: 0, max: 300 * HOUR }),
  fc.integer({ min: 0, max: 300 * 4 }).map((quarters) => quarters * 15 * MINUTE),
  fc.integer({ min: 0, max: 10 }),
  fc.constant(0),
);

const add = (start: number, ms: number) => calendar.addBusinessTime(start, ms).getTime();
const between = (a: number, b: number) => calendar.businessTimeBetween(a, b);

// --- An independent model of DESIGN §2, minute by minute ---------------------------------------

const wallParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Zurich',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const holidaySource = new Holidays('CH', 'BE', { timezone: 'Europe/Zurich' });
const publicDates = new Set(
  [2024, ...YEARS, 2031].flatMap((year) =>
    holidaySource
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10)),
  ),
);
const WEEKDAY_CLOSING: Record<string, number> = { Mon: 1080, Tue: 1080, Wed: 1080, Thu: 1080, Fri: 1020 };

function modelIsOpen(t: number): boolean {
  const parts = Object.fromEntries(wallParts.formatToParts(t).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const closing = WEEKDAY_CLOSING[parts.weekday!];
  if (closing === undefined || publicDates.has(date)) return false;
  const tomorrow = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  const end = publicDates.has(tomorrow) ? 960 : closing;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return (minute >= 480 && minute < 720) || (minute >= 810 && minute < end);
}

// --- Properties ------------------------------------------------------------------------------

describe('business calendar properties (2025–2030, Europe/Zurich, CH-BE)', () => {
  it('agrees with a minute-by-minute model of the rules', () => {
    fc.assert(
      fc.property(instant, (t) => {
        expect(calendar.isOpen(t)).toBe(modelIsOpen(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('business time from a start to its deadline is the duration', () => {
    fc.assert(
      fc.property(instant, duration, (start, d) => {
        expect(between(start, add(start, d))).toBe(d);
      }),
      runs,
    );
  });

  it('a deadline is the earliest such instant and lies in an open interval or at its end', () => {
    fc.assert(
      fc.property(instant, duration, (start, d) => {
        fc.pre(d > 0);
        const deadline = add(start, d);
        expect(calendar.isOpen(deadline) || calendar.isOpen(deadline - 1)).toBe(true);
        expect(between(start, deadline - 1)).toBe(d - 1);
      }),
      runs,
    );
  });

  it('is monotonic in the duration and in the start', () => {
    fc.assert(
      fc.property(instant, instant, duration, duration, (s1, s2, d1, d2) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(add(early, short)).toBeLessThanOrEqual(add(early, long));
        expect(add(early, short)).toBeLessThanOrEqual(add(late, short));
      }),
      runs,
    );
  });

  it('adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(instant, duration, duration, (start, a, b) => {
        expect(add(add(start, a), b)).toBe(add(start, a + b));
      }),
      runs,
    );
  });

  it('business time is additive over a split point, and matches the open intervals', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        expect(between(a, c)).toBe(between(a, b) + between(b, c));
        const intervals = calendar.openIntervals(a, c);
        const sum = intervals.reduce((total, i) => total + (i.end.getTime() - i.start.getTime()), 0);
        expect(sum).toBe(between(a, c));
      }),
      { numRuns: 300 },
    );
  });

  it('counting starts at the next opening', () => {
    fc.assert(
      fc.property(instant, duration, (start, d) => {
        const opening = calendar.nextOpening(start).getTime();
        expect(opening).toBeGreaterThanOrEqual(start);
        expect(calendar.isOpen(opening)).toBe(true);
        expect(between(start, opening)).toBe(0);
        if (d > 0) expect(add(opening, d)).toBe(add(start, d));
      }),
      runs,
    );
  });

  it('n business days later is open, the same wall time when that is open, and grows with n', () => {
    const wallTime = (t: number) => (t + zurich.offsetAt(t)) % DAY;
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const later = calendar.addBusinessDays(start, n).getTime();
        const next = calendar.addBusinessDays(start, n + 1).getTime();
        expect(calendar.isOpen(later)).toBe(true);
        expect(later).toBeGreaterThan(start);
        expect(next).toBeGreaterThan(later);
        if (calendar.isOpen(start) && wallTime(later) !== wallTime(start)) {
          // Only a shorter day (an eve) can move an open moment to a later opening.
          expect(calendar.nextOpening(later - 1).getTime()).toBe(later);
        }
      }),
      runs,
    );
  });
});
