import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../calendar/business-calendar.ts';
import { elapsedMs, pausedMs, segmentsOf, thresholdsOf } from './clock-math.ts';

// Always open, in UTC: business time is wall time, so the arithmetic of the events stands alone.
const allDay = [{ start: '00:00', end: '24:00' }];
const calendar = createBusinessCalendar({
  timeZone: 'UTC',
  weekly: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
  holidays: null,
  eveClosing: null,
});
const at = (hhmm: string) => new Date(`2026-02-02T${hhmm}:00Z`);
const ms = (hhmm: string) => at(hhmm).getTime();
const H = 3_600_000;

describe('clock events measured with the calendar', () => {
  const events = [
    { at: at('08:00'), kind: 'start' },
    { at: at('09:00'), kind: 'pause' },
    { at: at('10:00'), kind: 'resume' },
    { at: at('10:30'), kind: 'retarget' },
    { at: at('11:00'), kind: 'pause' },
  ];

  it('counts running time between start or resume and pause or stop, and paused time between', () => {
    const segments = segmentsOf(events);
    expect(segments).toEqual([
      { from: ms('08:00'), to: ms('09:00') },
      { from: ms('10:00'), to: ms('11:00') },
    ]);
    expect(elapsedMs(calendar, segments, ms('12:00'))).toBe(2 * H);
    expect(pausedMs(calendar, segments, ms('12:00'), null)).toBe(2 * H);
    expect(elapsedMs(calendar, segmentsOf(events.slice(0, 4)), ms('12:00'))).toBe(3 * H);
  });

  it('gives a paused clock only the thresholds it reached before the pause, and a stopped one none', () => {
    const segments = segmentsOf(events);
    // Target 160 min: 75 % = 120 min, reached at 11:00 exactly; the target and twice it are not reached while paused.
    expect(thresholdsOf(calendar, segments, 160, false)).toEqual({ warnAt: at('11:00'), deadline: null, level3At: null });
    const resumed = segmentsOf([...events, { at: at('13:00'), kind: 'resume' }]);
    expect(thresholdsOf(calendar, resumed, 160, false)).toEqual({ warnAt: at('11:00'), deadline: at('13:40'), level3At: at('16:20') });
    expect(thresholdsOf(calendar, resumed, 160, true)).toEqual({ warnAt: null, deadline: null, level3At: null });
  });
});
