/**
 * How the interface writes dates and times: the one place that formats them (the web app imports it
 * through `dates.ts`, which adds the hook; this part needs no browser, so tests import it directly).
 *
 * - Instants (a message, a deadline, a change) are written in one zone for the whole interface: the
 *   zone of the person's profile, by default the business calendar's (GET /api/me `timeZone`).
 *   When that zone is not the browser's, every time carries the zone's place name in brackets,
 *   "5 déc. 2026, 14:05 (Zurich)"; in the browser's own zone it carries nothing. A date alone (a
 *   list's "last change" day) is the day in that zone, unlabelled; its full time is labelled.
 * - Calendar days (YYYY-MM-DD: a Flex entry's day, a purchase date, a closure day) are not instants:
 *   they are written as they are and never shift with a zone.
 */
import { localeOf } from './locale.ts';

export { localeOf };

/** The zone this browser runs in. */
export const browserTimeZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/** One spelling per zone (Etc/UTC and UTC, US/Eastern and America/New_York are one zone). */
function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const sameTimeZone = (a: string, b: string): boolean => canonicalZone(a) === canonicalZone(b);

/** The short name a time is labelled with: the zone's place ("Zurich", "New York"), or UTC. */
export function zoneLabel(zone: string): string {
  const canonical = canonicalZone(zone);
  if (canonical === 'UTC' || canonical.startsWith('Etc/')) return canonical.replace(/^Etc\//, '');
  return canonical.slice(canonical.lastIndexOf('/') + 1).replaceAll('_', ' ');
}

export type DayStyle = 'medium' | 'long' | 'full';

export interface DateFormatter {
  /** The zone instants are written in. */
  timeZone: string;
  /** What times are labelled with, or null when the zone is the browser's. */
  zoneLabel: string | null;
  /** An instant: date and time, e.g. "5 déc. 2026, 14:05 (Zurich)". */
  dateTime(iso: string | null | undefined): string;
  /** An instant with its weekday, for deadlines: "sam. 5 déc. 2026, 14:05 (Zurich)". */
  deadline(iso: string | null | undefined): string;
  /** The day of an instant in the zone, e.g. "5 déc. 2026" (unlabelled). */
  date(iso: string | null | undefined): string;
  /** A calendar day YYYY-MM-DD as it is, whatever the zone. */
  day(day: string | null | undefined, style?: DayStyle): string;
}

const EMPTY = '—';

/** Formats for one language and zone; `browserZone` decides whether times carry the zone's label. */
export function createDateFormatter(options: { language: string; timeZone: string; browserZone: string }): DateFormatter {
  const locale = localeOf(options.language);
  // A zone this browser's Intl does not know (older time zone data): the browser's own, rather than a broken page.
  const timeZone = isKnownZone(options.timeZone) ? options.timeZone : options.browserZone;
  const label = sameTimeZone(timeZone, options.browserZone) ? null : zoneLabel(timeZone);
  const suffix = label ? ` (${label})` : '';
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const deadline = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const date = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
  const days = new Map<DayStyle, Intl.DateTimeFormat>();
  const dayFormat = (style: DayStyle) => {
    let format = days.get(style);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: style });
      days.set(style, format);
    }
    return format;
  };
  const instant = (iso: string) => new Date(iso);
  return {
    timeZone,
    zoneLabel: label,
    dateTime: (iso) => (iso ? dateTime.format(instant(iso)) + suffix : EMPTY),
    deadline: (iso) => (iso ? deadline.format(instant(iso)) + suffix : EMPTY),
    date: (iso) => (iso ? date.format(instant(iso)) : EMPTY),
    // Midnight UTC of that day, written in UTC: the same day in every zone.
    day: (day, style = 'medium') => (day ? dayFormat(style).format(new Date(`${day}T00:00:00Z`)) : EMPTY),
  };
}

/** The zone's offset from UTC at an instant, in minutes (e.g. 60 or 120 for Zurich). */
function offsetMinutes(utcMillis: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60_000);
}

/** A `datetime-local` value (YYYY-MM-DDTHH:mm) read as wall time in a zone, as an ISO instant. */
export function zonedLocalToIso(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let utc = wall - offsetMinutes(wall, timeZone) * 60_000;
  utc = wall - offsetMinutes(utc, timeZone) * 60_000;
  return new Date(utc).toISOString();
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone; '' for a missing or bad instant. */
export function dayInZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return '';
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** Today (YYYY-MM-DD) in a zone: for rules the server judges by a zone's calendar day (Flex days, report months). */
export const todayIn = (timeZone: string): string => dayInZone(new Date().toISOString(), timeZone);

/** A zone's current offset from UTC as the language writes it ("UTC+1", "GMT-5"), or '' when Intl has none. */
export function zoneOffsetName(timeZone: string, language: string, at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat(localeOf(language), { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}
