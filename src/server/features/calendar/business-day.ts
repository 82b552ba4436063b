import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { loadCalendarConfig } from './calendar-store.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(timeZone: string, instant: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The business calendar's zone (an administrator's setting, Europe/Zurich by default): the one zone
 * in which Flex "today", contract windows, statements and billing months are counted, whatever the
 * server's own zone.
 */
export async function businessTimeZone(db: DbOrTx): Promise<string> {
  return (await loadCalendarConfig(db)).timeZone;
}

/** Today's date (YYYY-MM-DD) on the business calendar. */
export async function businessToday(db: DbOrTx, clock: Clock): Promise<string> {
  return dayIn(await businessTimeZone(db), clock.now());
}
