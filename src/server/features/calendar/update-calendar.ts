import type { AppContext } from '../../context.ts';
import { publish } from '../../events/publish.ts';
import { AppError, badRequest } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { ensureCalendarRow, loadCalendarConfig, saveCalendarConfig } from './calendar-store.ts';
import { parseCalendarConfig, type CalendarConfig } from './calendar-config.ts';

/** The commands publish `calendar.changed`: the SLA deadlines and the billing schedule follow the calendar there. */
type Deps = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config' | 'boss'>;

/**
 * Replaces the business calendar; refused whole (400 naming the field) when any part is invalid,
 * the previous configuration kept. The deadlines of running clocks follow the new calendar.
 */
export async function updateCalendar(deps: Deps, actorId: string, input: unknown): Promise<CalendarConfig> {
  const next = parseCalendarConfig(input);
  return writeCalendar(deps, actorId, () => next, 'sla.calendar_changed');
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a closure day as the calendar schema does, naming the field `day`. */
function closureDay(day: string): string {
  if (!ISO_DAY.test(day)) throw badRequest('sla.closure_day_invalid', 'day: must be a date YYYY-MM-DD', 'day');
  try {
    parseCalendarConfig({ closureDays: [day] });
  } catch {
    throw badRequest('sla.closure_day_invalid', 'day: must be a date YYYY-MM-DD', 'day');
  }
  return day;
}

export async function addClosureDay(deps: Deps, actorId: string, day: string): Promise<CalendarConfig> {
  const valid = closureDay(day);
  return writeCalendar(
    deps,
    actorId,
    (current) => ({ ...current, closureDays: [...new Set([...current.closureDays, valid])].sort() }),
    'sla.closure_day_added',
    { day: valid },
  );
}

export async function removeClosureDay(deps: Deps, actorId: string, day: string): Promise<CalendarConfig> {
  const valid = closureDay(day);
  return writeCalendar(
    deps,
    actorId,
    (current) => {
      if (!current.closureDays.includes(valid)) throw new AppError(404, 'sla.closure_day_not_found', `${valid} is not a closure day.`, 'day');
      return { ...current, closureDays: current.closureDays.filter((d) => d !== valid) };
    },
    'sla.closure_day_removed',
    { day: valid },
  );
}

async function writeCalendar(
  deps: Deps,
  actorId: string,
  change: (current: CalendarConfig) => CalendarConfig,
  action: 'sla.calendar_changed' | 'sla.closure_day_added' | 'sla.closure_day_removed',
  details: Record<string, unknown> = {},
): Promise<CalendarConfig> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await ensureCalendarRow(tx, now);
    const current = await loadCalendarConfig(tx, { forUpdate: true });
    const next = parseCalendarConfig(change(current));
    await saveCalendarConfig(tx, next, now, actorId);
    await recordAudit(tx, {
      at: now,
      actorId,
      action,
      targetType: 'sla_calendar',
      targetId: '1',
      details: { ...details, ...(action === 'sla.calendar_changed' ? { from: current, to: next } : {}) },
    });
    await publish(tx, deps, { type: 'calendar.changed', actorId, timeZone: { from: current.timeZone, to: next.timeZone } });
    return next;
  });
}
