import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinutes, parseDuration } from './durations.ts';
import { TIME_ENTRY_MAX_MINUTES } from './flex-api.ts';

const minutes = (text: string, max?: number) => {
  const parsed = parseDuration(text, { max });
  return parsed.ok ? parsed.minutes : parsed.reason;
};

describe('parseDuration', () => {
  it('reads the ways people type a duration', () => {
    expect(minutes('90')).toBe(90);
    expect(minutes('45m')).toBe(45);
    expect(minutes('45 min')).toBe(45);
    expect(minutes('2h')).toBe(120);
    expect(minutes('2 H')).toBe(120);
    expect(minutes('1h30')).toBe(90);
    expect(minutes('1 h 30')).toBe(90);
    expect(minutes('1h30m')).toBe(90);
    expect(minutes('1 h 30 min')).toBe(90);
    expect(minutes('1.5h')).toBe(90);
    expect(minutes('1,5 h')).toBe(90);
    expect(minutes('0.25h')).toBe(15);
    expect(minutes('1:30')).toBe(90);
    expect(minutes('0 h 45')).toBe(45);
    expect(minutes('2 Std 15')).toBe(135);
    expect(minutes('  3 heures ')).toBe(180);
  });

  it('refuses what it cannot read, instead of guessing', () => {
    for (const text of ['abc', '1h90', '1.5h30', '1..5h', '1:75', 'h30', '-30', '1.5', '30 s', '1 h 30 h', '1e3']) {
      expect(minutes(text), text).toBe('unreadable');
    }
    expect(minutes('   ')).toBe('empty');
    expect(minutes('0')).toBe('zero');
    expect(minutes('0h')).toBe('zero');
  });

  it('refuses a duration over the limit instead of cutting it', () => {
    expect(minutes('90000', TIME_ENTRY_MAX_MINUTES)).toBe('too_long');
    expect(minutes('24h01', TIME_ENTRY_MAX_MINUTES)).toBe('too_long');
    expect(minutes('24h', TIME_ENTRY_MAX_MINUTES)).toBe(1440);
    expect(minutes('90000')).toBe(90000);
    expect(minutes('9'.repeat(30))).toBe('unreadable');
  });

  it('reads back every duration it shows, and every way of writing it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: TIME_ENTRY_MAX_MINUTES }), (m) => {
        const h = Math.floor(m / 60);
        const rest = m % 60;
        expect(minutes(formatMinutes(m), TIME_ENTRY_MAX_MINUTES)).toBe(m);
        expect(minutes(String(m))).toBe(m);
        expect(minutes(`${m}m`)).toBe(m);
        expect(minutes(`${h}h${String(rest).padStart(2, '0')}`)).toBe(m);
        expect(minutes(`${h} h ${rest} min`)).toBe(m);
        expect(minutes(`${h}:${String(rest).padStart(2, '0')}`)).toBe(m);
        if (rest % 15 === 0) expect(minutes(`${m / 60}h`)).toBe(m);
      }),
      { numRuns: 500 },
    );
  });
});
