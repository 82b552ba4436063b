/** How the interface writes dates and times: one zone, labelled only where it is not the browser's; calendar days never shift. */
import { describe, expect, it } from 'vitest';
import { createDateFormatter, dayInZone, sameTimeZone, zonedLocalToIso, zoneLabel } from './date-format.ts';

// Saturday 5 December 2026, 13:05 UTC: 14:05 in Zurich, 08:05 in New York.
const AT = '2026-12-05T13:05:00.000Z';

describe('instants: one zone, labelled where it is not the browser’s', () => {
  it('writes the profile’s zone without a label when the browser is in that zone', () => {
    const format = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: 'Europe/Zurich' });
    expect(format.zoneLabel).toBeNull();
    expect(format.dateTime(AT)).toBe('5 déc. 2026, 14:05');
    expect(format.deadline(AT)).toBe('sam. 5 déc. 2026, 14:05');
  });

  it('labels every time with the zone’s place when the browser is elsewhere', () => {
    const inNewYork = createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: 'America/New_York' });
    expect(inNewYork.zoneLabel).toBe('Zurich');
    expect(inNewYork.dateTime(AT)).toBe('5 déc. 2026, 14:05 (Zurich)');
    expect(inNewYork.deadline(AT)).toBe('sam. 5 déc. 2026, 14:05 (Zurich)');

    const newYorker = createDateFormatter({ language: 'en', timeZone: 'America/New_York', browserZone: 'Europe/Zurich' });
    expect(newYorker.dateTime(AT)).toBe('5 Dec 2026, 08:05 (New York)');
    const german = createDateFormatter({ language: 'de', timeZone: 'Europe/Zurich', browserZone: 'UTC' });
    expect(german.dateTime(AT)).toBe('05.12.2026, 14:05 (Zurich)');
  });

  it('treats two spellings of one zone as the same zone', () => {
    expect(sameTimeZone('UTC', 'Etc/UTC')).toBe(true);
    expect(sameTimeZone('US/Eastern', 'America/New_York')).toBe(true);
    expect(sameTimeZone('Europe/Paris', 'Europe/Zurich')).toBe(false);
    expect(createDateFormatter({ language: 'en', timeZone: 'UTC', browserZone: 'Etc/UTC' }).zoneLabel).toBeNull();
    expect(zoneLabel('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(zoneLabel('Etc/UTC')).toBe('UTC');
  });

  it('gives the day of an instant in the profile’s zone, unlabelled', () => {
    const lateEvening = '2026-12-05T23:30:00Z';
    expect(createDateFormatter({ language: 'fr', timeZone: 'Europe/Zurich', browserZone: 'America/New_York' }).date(lateEvening)).toBe('6 déc. 2026');
    expect(createDateFormatter({ language: 'fr', timeZone: 'America/New_York', browserZone: 'Europe/Zurich' }).date(lateEvening)).toBe('5 déc. 2026');
    expect(dayInZone(lateEvening, 'Europe/Zurich')).toBe('2026-12-06');
    expect(dayInZone('not a date', 'Europe/Zurich')).toBe('');
  });

  it('writes a dash for a missing instant', () => {
    const format = createDateFormatter({ language: 'en', timeZone: 'Europe/Zurich', browserZone: 'UTC' });
    expect(format.dateTime(null)).toBe('—');
    expect(format.deadline(undefined)).toBe('—');
  });

  it('falls back to the browser’s zone, rather than failing, for a zone this browser does not know', () => {
    const format = createDateFormatter({ language: 'en', timeZone: 'Mars/Olympus', browserZone: 'Europe/Zurich' });
    expect(format.timeZone).toBe('Europe/Zurich');
    expect(format.dateTime(AT)).toBe('5 Dec 2026, 14:05');
  });
});

describe('calendar days never shift with a zone', () => {
  it('writes a YYYY-MM-DD day as that day, whatever the profile’s and the browser’s zones', () => {
    for (const [timeZone, browserZone] of [
      ['Pacific/Kiritimati', 'Pacific/Pago_Pago'],
      ['Pacific/Pago_Pago', 'Pacific/Kiritimati'],
      ['Europe/Zurich', 'America/Los_Angeles'],
    ] as const) {
      const format = createDateFormatter({ language: 'fr', timeZone, browserZone });
      expect(format.day('2026-12-05')).toBe('5 déc. 2026');
      expect(format.day('2026-01-01', 'full')).toBe('jeudi, 1 janvier 2026');
    }
  });
});

describe('wall times typed by the person', () => {
  it('reads a datetime-local value in the given zone, summer and winter', () => {
    expect(zonedLocalToIso('2031-06-16T09:00', 'Europe/Zurich')).toBe('2031-06-16T07:00:00.000Z');
    expect(zonedLocalToIso('2031-01-16T09:00', 'Europe/Zurich')).toBe('2031-01-16T08:00:00.000Z');
    expect(zonedLocalToIso('2031-06-16T09:00', 'America/New_York')).toBe('2031-06-16T13:00:00.000Z');
    expect(zonedLocalToIso('16.06.2031 09:00', 'Europe/Zurich')).toBeNull();
  });
});
