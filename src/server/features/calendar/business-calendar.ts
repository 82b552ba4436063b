import { tzOffset } from '@date-fns/tz';
import Holidays from 'date-holidays';
import { minutesOf, parseCalendarConfig, type CalendarConfig, type CalendarConfigInput, type IsoWeekday } from './calendar-config.ts';

/*
 * Business-time arithmetic for SLA deadlines (DESIGN §2 "SLA" and "Business calendar").
 * Pure: no clock, no database. Instants are UTC milliseconds; days and opening hours are in
 * the calendar's time zone.
 *
 * The calendar is built lazily one local year at a time: every open interval of the year as
 * UTC instants, with a running total of business time, so that a deadline is two binary
 * searches. Holidays and years are cached in the calendar object.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Instants outside these local years are refused: it keeps every loop bounded. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

export type Instant = Date | number;

export interface OpenInterval {
  start: Date;
  end: Date;
}

export interface PublicHoliday {
  /** Local date, YYYY-MM-DD. */
  date: string;
  name: string;
}

export interface BusinessCalendar {
  readonly config: CalendarConfig;
  /** Open intervals intersecting [from, to), clipped to it, in order; touching intervals are merged. */
  openIntervals(from: Instant, to: Instant): OpenInterval[];
  /** Business milliseconds in [a, b); 0 when b <= a. */
  businessTimeBetween(a: Instant, b: Instant): number;
  /**
   * The earliest instant at which the business time since `start` reaches `ms`.
   * Counting starts at the next opening when `start` is closed. Adding 0 returns `start`
   * itself, open or not (business time 0 is reached at once); use nextOpening for the instant
   * counting starts. For ms > 0 the result is inside an open interval or at its end
   * (4 h from Monday 08:00 is Monday 12:00, not 13:30).
   */
  addBusinessTime(start: Instant, ms: number): Date;
  /**
   * The same local time on the n-th following open day (a day with at least one open
   * interval), or the next opening after that moment when it is closed — the next day's
   * opening if that day has closed by then. n = 0 returns the instant itself.
   */
  addBusinessDays(instant: Instant, n: number): Date;
  isOpen(instant: Instant): boolean;
  /** The instant itself when open, otherwise the start of the next open interval. */
  nextOpening(instant: Instant): Date;
  /** The public holidays the calendar closes on in a year (date-holidays, type "public"). */
  publicHolidays(year: number): PublicHoliday[];
}

// ---------------------------------------------------------------------------------------------
// Time-zone rules: the offsets from @date-fns/tz (the runtime's time-zone data, through Intl).

export interface ZoneRules {
  readonly timeZone: string;
  /** Offset of local time from UTC at an instant, in ms (Europe/Zurich in summer: 7_200_000). */
  offsetAt(utcMs: number): number;
  /**
   * The earliest instant at which the local clock reads `wallMs` or later, `wallMs` being a
   * local wall time written as if it were UTC. An ordinary wall time gives its instant; one
   * repeated when clocks go back gives its first occurrence; one skipped when clocks go forward
   * gives the instant of the change (02:30 on the last Sunday of March in Zurich → 03:00 CEST).
   * Non-decreasing in `wallMs`, so ordered wall intervals stay ordered.
   */
  resolveWallTime(wallMs: number): number;
}

export function zoneRules(timeZone: string): ZoneRules {
  const offsetAt = (utcMs: number): number => tzOffset(timeZone, new Date(utcMs)) * MINUTE_MS;

  // Assumes at most one change of offset within a day of the wall time (true of every zone).
  const resolveWallTime = (wallMs: number): number => {
    const before = offsetAt(wallMs - DAY_MS);
    const after = offsetAt(wallMs + DAY_MS);
    if (before === after) return wallMs - before;
    const early = wallMs - before;
    if (offsetAt(early) === before) return early;
    const late = wallMs - after;
    if (offsetAt(late) === after) return late;
    // Skipped wall time: find the change, the first instant whose wall time is >= wallMs.
    let lo = Math.min(early, late);
    let hi = Math.max(early, late);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (mid + offsetAt(mid) >= wallMs) hi = mid;
      else lo = mid;
    }
    return hi;
  };

  return { timeZone, offsetAt, resolveWallTime };
}

// ---------------------------------------------------------------------------------------------
// Local calendar dates as epoch day numbers (days since 1970-01-01).

const epochDay = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / DAY_MS;
const yearOfDay = (day: number) => new Date(day * DAY_MS).getUTCFullYear();
const isoWeekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;
const isoDateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOfIsoDate = (date: string) => epochDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));

/** One local year: its open intervals as UTC ms, with business time before each. */
interface Year {
  readonly year: number;
  readonly firstDay: number;
  /** Local midnight of each day of the year as UTC ms, plus the following 1 January. */
  readonly dayStarts: Float64Array;
  /** Index of each day's first interval, plus the interval count. */
  readonly dayFirstInterval: Int32Array;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** Business ms of the year before interval i; length n + 1, last = total. */
  readonly before: Float64Array;
  readonly startMs: number;
  readonly endMs: number;
  readonly total: number;
}

type MinuteRange = readonly [number, number];

export function createBusinessCalendar(input: CalendarConfigInput = {}): BusinessCalendar {
  const config = parseCalendarConfig(input);
  const zone = zoneRules(config.timeZone);
  const weekly = new Map<number, MinuteRange[]>();
  const weekdays: IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
  for (const weekday of weekdays) {
    const ranges = config.weekly[weekday].map((interval): MinuteRange => [minutesOf(interval.start), minutesOf(interval.end)]).sort((a, b) => a[0] - b[0]);
    weekly.set(weekday, ranges);
  }
  const eveClosing = config.eveClosing === null ? null : minutesOf(config.eveClosing);
  const closureDays = new Set(config.closureDays.map(dayOfIsoDate));
  const holidaySource = config.holidays
    ? config.holidays.region === undefined
      ? new Holidays(config.holidays.country, { timezone: config.timeZone })
      : new Holidays(config.holidays.country, config.holidays.region, { timezone: config.timeZone })
    : null;

  const holidaysByYear = new Map<number, Map<number, string>>();
  const holidaysOf = (year: number): Map<number, string> => {
    let days = holidaysByYear.get(year);
    if (days) return days;
    days = new Map();
    for (const holiday of holidaySource?.getHolidays(year) ?? []) {
      if (holiday.type !== 'public') continue;
      // A holiday closes its whole local day(s), even one the library starts at noon.
      const first = dayOfIsoDate(holiday.date);
      const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
      for (let i = 0; i < length; i++) if (!days.has(first + i)) days.set(first + i, holiday.name);
    }
    holidaysByYear.set(year, days);
    return days;
  };
  const isPublicHoliday = (day: number) => holidaysOf(yearOfDay(day)).has(day);

  const openingOf = (day: number): readonly MinuteRange[] => {
    if (closureDays.has(day) || isPublicHoliday(day)) return [];
    const ranges = weekly.get(isoWeekdayOf(day))!;
    if (eveClosing === null || !isPublicHoliday(day + 1)) return ranges;
    return ranges.filter(([start]) => start < eveClosing).map(([start, end]): MinuteRange => [start, Math.min(end, eveClosing)]);
  };

  const years = new Map<number, Year>();
  const buildYear = (year: number): Year => {
    const firstDay = epochDay(year, 1, 1);
    const dayCount = epochDay(year + 1, 1, 1) - firstDay;
    const dayStarts = new Float64Array(dayCount + 1);
    const dayFirstInterval = new Int32Array(dayCount + 1);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let k = 0; k <= dayCount; k++) dayStarts[k] = zone.resolveWallTime((firstDay + k) * DAY_MS);
    for (let k = 0; k < dayCount; k++) {
      dayFirstInterval[k] = starts.length;
      const midnight = (firstDay + k) * DAY_MS;
      for (const [startMinute, endMinute] of openingOf(firstDay + k)) {
        const start = Math.max(zone.resolveWallTime(midnight + startMinute * MINUTE_MS), ends.at(-1) ?? -Infinity);
        const end = zone.resolveWallTime(midnight + endMinute * MINUTE_MS);
        // An interval wholly inside a skipped hour is empty.
        if (end > start) {
          starts.push(start);
          ends.push(end);
        }
      }
    }
    dayFirstInterval[dayCount] = starts.length;
    const before = new Float64Array(starts.length + 1);
    for (let i = 0; i < starts.length; i++) before[i + 1] = before[i]! + (ends[i]! - starts[i]!);
    return {
      year,
      firstDay,
      dayStarts,
      dayFirstInterval,
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      before,
      startMs: dayStarts[0]!,
      endMs: dayStarts[dayCount]!,
      total: before[starts.length]!,
    };
  };

  const yearNumbered = (year: number): Year => {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new RangeError(`The business calendar covers the years ${MIN_YEAR}–${MAX_YEAR}, not ${year}.`);
    }
    let found = years.get(year);
    if (!found) {
      found = buildYear(year);
      years.set(year, found);
    }
    return found;
  };

  let lastYear: Year | undefined;
  const yearAt = (t: number): Year => {
    if (lastYear && t >= lastYear.startMs && t < lastYear.endMs) return lastYear;
    const guess = new Date(t).getUTCFullYear();
    let found = yearNumbered(guess);
    if (t < found.startMs) found = yearNumbered(guess - 1);
    else if (t >= found.endMs) found = yearNumbered(guess + 1);
    lastYear = found;
    return found;
  };

  /** Index of the first interval of the year that ends after t (n when none). */
  const firstEndingAfter = (y: Year, t: number): number => {
    const ends = y.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  /** Business ms of the year before t. */
  const positionIn = (y: Year, t: number): number => {
    const i = firstEndingAfter(y, t);
    if (i === y.ends.length) return y.total;
    return y.before[i]! + Math.max(0, t - y.starts[i]!);
  };

  /** The instant at which the year's business time reaches `target` (0 < target <= total). */
  const instantAtPosition = (y: Year, target: number): number => {
    const before = y.before;
    // Smallest i with before[i + 1] >= target: the earliest instant, an interval's end rather
    // than the next one's start.
    let lo = 0;
    let hi = y.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return y.starts[lo]! + (target - before[lo]!);
  };

  const nextOpeningMs = (t: number): number => {
    let y = yearAt(t);
    const i = firstEndingAfter(y, t);
    if (i < y.starts.length) return Math.max(t, y.starts[i]!);
    do y = yearNumbered(y.year + 1);
    while (y.starts.length === 0);
    return y.starts[0]!;
  };

  const isOpenMs = (t: number): boolean => {
    const y = yearAt(t);
    const i = firstEndingAfter(y, t);
    return i < y.starts.length && y.starts[i]! <= t;
  };

  const isOpenDay = (day: number): boolean => {
    const y = yearNumbered(yearOfDay(day));
    const k = day - y.firstDay;
    return y.dayFirstInterval[k + 1]! > y.dayFirstInterval[k]!;
  };

  return {
    config,

    openIntervals(from, to) {
      const a = toMs(from);
      const b = toMs(to);
      const result: OpenInterval[] = [];
      if (b <= a) return result;
      let lastEnd = -Infinity;
      const push = (start: number, end: number) => {
        if (start === lastEnd) result[result.length - 1]!.end = new Date(end);
        else result.push({ start: new Date(start), end: new Date(end) });
        lastEnd = end;
      };
      for (let y = yearAt(a); ; y = yearNumbered(y.year + 1)) {
        for (let i = firstEndingAfter(y, a); i < y.starts.length && y.starts[i]! < b; i++) {
          push(Math.max(a, y.starts[i]!), Math.min(b, y.ends[i]!));
        }
        if (y.endMs >= b) return result;
      }
    },

    businessTimeBetween(a, b) {
      const from = toMs(a);
      const to = toMs(b);
      if (to <= from) return 0;
      const first = yearAt(from);
      const last = yearAt(to);
      if (first === last) return positionIn(last, to) - positionIn(first, from);
      let total = first.total - positionIn(first, from);
      for (let year = first.year + 1; year < last.year; year++) total += yearNumbered(year).total;
      return total + positionIn(last, to);
    },

    addBusinessTime(start, ms) {
      const from = toMs(start);
      if (!Number.isSafeInteger(ms) || ms < 0) {
        throw new RangeError(`A business duration is a whole, non-negative number of ms, not ${ms}.`);
      }
      if (ms === 0) return new Date(from);
      let y = yearAt(from);
      let target = positionIn(y, from) + ms;
      while (target > y.total) {
        target -= y.total;
        y = yearNumbered(y.year + 1);
      }
      return new Date(instantAtPosition(y, target));
    },

    addBusinessDays(instant, n) {
      const from = toMs(instant);
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new RangeError(`A number of business days is a whole, non-negative number, not ${n}.`);
      }
      if (n === 0) return new Date(from);
      yearAt(from); // refuses instants out of range before any arithmetic
      const wall = from + zone.offsetAt(from);
      let day = Math.floor(wall / DAY_MS);
      const timeOfDay = wall - day * DAY_MS;
      for (let remaining = n; remaining > 0; ) {
        day += 1;
        if (isOpenDay(day)) remaining -= 1;
      }
      return new Date(nextOpeningMs(zone.resolveWallTime(day * DAY_MS + timeOfDay)));
    },

    isOpen(instant) {
      return isOpenMs(toMs(instant));
    },

    nextOpening(instant) {
      return new Date(nextOpeningMs(toMs(instant)));
    },

    publicHolidays(year) {
      return [...holidaysOf(year)].sort(([a], [b]) => a - b).map(([day, name]) => ({ date: isoDateOf(day), name }));
    },
  };
}

function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isSafeInteger(ms)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return ms;
}
