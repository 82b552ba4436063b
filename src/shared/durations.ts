/**
 * Durations as people type them: "90", "45m", "2h", "1h30", "1 h 30", "1.5h", "1,5 h", "1:30",
 * "1 h 30 min". Read the same way by the web form and anything else that takes a typed duration.
 * A number alone is minutes; hours may be decimal (rounded to the nearest minute); the minutes after
 * hours must be under 60. Nothing is clamped: a value out of range is refused, not shortened.
 */

export type DurationRefusal = 'empty' | 'unreadable' | 'zero' | 'too_long';
export type ParsedDuration = { ok: true; minutes: number } | { ok: false; reason: DurationRefusal };

const HOURS = '(?:h|hr|hrs|hour|hours|heure|heures|std|stunde|stunden)';
const MINUTES = '(?:m|mn|min|mins|minute|minutes|minuten)';
const NUMBER = '(\\d+(?:\\.\\d+)?)';

const ONLY_MINUTES = new RegExp(`^(\\d+)\\s*(?:${MINUTES})?$`);
const HOURS_AND_MINUTES = new RegExp(`^${NUMBER}\\s*${HOURS}\\.?(?:\\s*(\\d+)\\s*(?:${MINUTES})?)?$`);
const CLOCK = /^(\d+):([0-5]\d)$/;

/** Reads a duration; `max` (minutes, inclusive) refuses longer ones. */
export function parseDuration(text: string, options: { max?: number } = {}): ParsedDuration {
  const input = text.trim().toLowerCase().replace(/,/g, '.').replace(/\s+/g, ' ');
  if (input === '') return { ok: false, reason: 'empty' };
  const minutes = read(input);
  if (minutes === null) return { ok: false, reason: 'unreadable' };
  if (minutes <= 0) return { ok: false, reason: 'zero' };
  if (options.max !== undefined && minutes > options.max) return { ok: false, reason: 'too_long' };
  return { ok: true, minutes };
}

function read(input: string): number | null {
  const only = ONLY_MINUTES.exec(input);
  if (only) return safe(Number(only[1]));
  const clock = CLOCK.exec(input);
  if (clock) return safe(Number(clock[1]) * 60 + Number(clock[2]));
  const both = HOURS_AND_MINUTES.exec(input);
  if (!both) return null;
  const hours = Number(both[1]);
  if (both[2] === undefined) return safe(Math.round(hours * 60));
  // "1.5h30" says two different things.
  if (!Number.isInteger(hours)) return null;
  const rest = Number(both[2]);
  if (rest >= 60) return null;
  return safe(hours * 60 + rest);
}

const safe = (minutes: number) => (Number.isSafeInteger(minutes) ? minutes : null);

/** "3 h 05" — minutes shown as hours and minutes, with no floating point. */
export function formatMinutes(total: number): string {
  const sign = total < 0 ? '−' : '';
  const abs = Math.abs(total);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${sign}${h} h ${String(m).padStart(2, '0')}`;
}
