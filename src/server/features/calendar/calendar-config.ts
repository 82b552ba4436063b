import Holidays from 'date-holidays';
import { z } from 'zod';
import { AppError } from '../../errors.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const HH_MM_OR_MIDNIGHT = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight of an already validated 'HH:MM' ('24:00' → 1440). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function isRealDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

let holidayCatalog: Holidays | undefined;
const catalog = () => (holidayCatalog ??= new Holidays());

const openingIntervalSchema = z.strictObject({
  start: z.string().regex(HH_MM, 'must be a time HH:MM between 00:00 and 23:59'),
  end: z.string().regex(HH_MM_OR_MIDNIGHT, 'must be a time HH:MM between 00:01 and 24:00'),
});

/** One day's opening hours: valid, non-empty intervals that do not overlap (touching is allowed). */
const dayHoursSchema = z.array(openingIntervalSchema).superRefine((intervals, ctx) => {
  const valid: { index: number; start: number; end: number }[] = [];
  intervals.forEach((interval, index) => {
    if (!HH_MM.test(interval.start) || !HH_MM_OR_MIDNIGHT.test(interval.end)) return;
    const start = minutesOf(interval.start);
    const end = minutesOf(interval.end);
    if (end <= start) {
      ctx.addIssue({ code: 'custom', path: [index, 'end'], message: `must be after start (${interval.start})` });
      return;
    }
    valid.push({ index, start, end });
  });
  valid.sort((a, b) => a.start - b.start);
  for (let i = 1; i < valid.length; i++) {
    const previous = valid[i - 1]!;
    const current = valid[i]!;
    if (current.start < previous.end) {
      const other = intervals[previous.index]!;
      ctx.addIssue({
        code: 'custom',
        path: [current.index],
        message: `overlaps the interval ${other.start}–${other.end}`,
      });
    }
  }
});

const swissWeek = {
  1: [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  2: [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  3: [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  4: [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  5: [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '17:00' },
  ],
  6: [],
  7: [],
};

const weeklySchema = z
  .strictObject({
    1: dayHoursSchema,
    2: dayHoursSchema,
    3: dayHoursSchema,
    4: dayHoursSchema,
    5: dayHoursSchema,
    6: dayHoursSchema,
    7: dayHoursSchema,
  })
  .refine((week) => Object.values(week).some((day) => day.length > 0), {
    message: 'at least one day must have opening hours',
  });

const holidaySourceSchema = z
  .strictObject({
    country: z.string().min(1),
    /** A state or canton in date-holidays' terms (for CH: the canton, e.g. 'BE'). */
    region: z.string().min(1).optional(),
  })
  .superRefine((source, ctx) => {
    if (!Object.hasOwn(catalog().getCountries(), source.country)) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: `unknown country "${source.country}" for date-holidays` });
      return;
    }
    if (source.region !== undefined && !Object.hasOwn(catalog().getStates(source.country) ?? {}, source.region)) {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: `unknown region "${source.region}" of ${source.country} for date-holidays`,
      });
    }
  });

/**
 * The business calendar of DESIGN §2: opening hours per ISO weekday in local time, public
 * holidays from date-holidays, an earlier closing on the eve of a public holiday, and closure
 * days (closed all day, no eve). Every field has the Guichet default.
 */
export const calendarConfigSchema = z.strictObject({
  timeZone: z.string().refine(isKnownTimeZone, { message: 'must be a known IANA time zone, e.g. Europe/Zurich' }).default('Europe/Zurich'),
  weekly: weeklySchema.default(swissWeek),
  /** null: no public holidays. */
  holidays: holidaySourceSchema.nullable().default({ country: 'CH', region: 'BE' }),
  /** Closing time on the calendar day before a public holiday; null: no early closing. */
  eveClosing: z.string().regex(HH_MM, 'must be a time HH:MM between 00:00 and 23:59').nullable().default('16:00'),
  closureDays: z.array(z.string().refine(isRealDate, { message: 'must be a date YYYY-MM-DD' })).default([]),
});

export type CalendarConfigInput = z.input<typeof calendarConfigSchema>;
export type CalendarConfig = z.output<typeof calendarConfigSchema>;
export type OpeningInterval = z.output<typeof openingIntervalSchema>;

export interface CalendarConfigIssue {
  /** Dotted path of the field at fault, e.g. "weekly.1.0.end" or "closureDays.2". */
  field: string;
  message: string;
}

export class CalendarConfigError extends AppError {
  readonly issues: CalendarConfigIssue[];
  constructor(issues: CalendarConfigIssue[]) {
    super(
      400,
      'sla.calendar_invalid',
      `Invalid business calendar: ${issues.map((issue) => `${issue.field || '(root)'}: ${issue.message}`).join('; ')}`,
      issues[0]?.field,
    );
    this.issues = issues;
  }
}

/** Validates a calendar configuration, filling in defaults; throws CalendarConfigError listing every problem. */
export function parseCalendarConfig(input: unknown = {}): CalendarConfig {
  const parsed = calendarConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new CalendarConfigError(parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message })));
  }
  return parsed.data;
}
