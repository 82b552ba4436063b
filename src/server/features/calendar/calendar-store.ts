import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { slaCalendar } from '../../db/schema.ts';
import { createBusinessCalendar, type BusinessCalendar } from './business-calendar.ts';
import { parseCalendarConfig, type CalendarConfig } from './calendar-config.ts';

/** The one row of the calendar settings. */
export const CALENDAR_ROW = 1;

/** Calendars are built lazily and cache their years: keep one per distinct configuration. */
const built = new Map<string, BusinessCalendar>();
export function calendarFor(config: CalendarConfig): BusinessCalendar {
  const key = JSON.stringify(config);
  let calendar = built.get(key);
  if (!calendar) {
    if (built.size > 16) built.clear();
    calendar = createBusinessCalendar(config);
    built.set(key, calendar);
  }
  return calendar;
}

/** The stored calendar configuration, or DESIGN's defaults when none was saved. */
export async function loadCalendarConfig(db: DbOrTx, options: { forUpdate?: boolean } = {}): Promise<CalendarConfig> {
  const query = db.select({ config: slaCalendar.config }).from(slaCalendar).where(eq(slaCalendar.id, CALENDAR_ROW));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return parseCalendarConfig(row?.config ?? {});
}

export async function loadCalendar(db: DbOrTx): Promise<BusinessCalendar> {
  return calendarFor(await loadCalendarConfig(db));
}

export async function saveCalendarConfig(db: DbOrTx, config: CalendarConfig, at: Date, actorId: string | null): Promise<void> {
  await db
    .insert(slaCalendar)
    .values({ id: CALENDAR_ROW, config, updatedAt: at, updatedById: actorId })
    .onConflictDoUpdate({ target: slaCalendar.id, set: { config, updatedAt: at, updatedById: actorId } });
}

/** Creates the calendar row with the defaults, so that concurrent edits lock one row. Idempotent. */
export async function ensureCalendarRow(db: DbOrTx, at: Date): Promise<void> {
  await db
    .insert(slaCalendar)
    .values({ id: CALENDAR_ROW, config: parseCalendarConfig({}), updatedAt: at })
    .onConflictDoNothing();
}
