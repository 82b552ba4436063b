import { useTranslation } from 'react-i18next';
import type { Language } from '#shared/domain.ts';

export const ZURICH = 'Europe/Zurich';
const LOCALES: Record<string, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

/** How SLA instants are written: Europe/Zurich wall time, in the given interface language. */
export const zurichDateTimeFormat = (language: string) =>
  new Intl.DateTimeFormat(LOCALES[language] ?? 'fr-CH', { timeZone: ZURICH, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Instants in Europe/Zurich, in the interface language; durations in hours and minutes. */
export function useSlaFormat() {
  const { t, i18n } = useTranslation();
  const dateTime = zurichDateTimeFormat(i18n.language);
  return {
    language: (i18n.language in LOCALES ? i18n.language : 'fr') as Language,
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    duration: (minutes: number) => {
      const total = Math.abs(Math.round(minutes));
      const h = Math.floor(total / 60);
      const m = total % 60;
      if (h === 0) return t('sla.duration.minutes', { m });
      if (m === 0) return t('sla.duration.hours', { h });
      return t('sla.duration.hoursMinutes', { h, m });
    },
  };
}

/** The offset of Europe/Zurich at a given UTC instant, in minutes (e.g. 60 or 120). */
function zurichOffsetMinutes(utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ZURICH, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60_000);
}

/** A `datetime-local` value (YYYY-MM-DDTHH:mm) read as Europe/Zurich wall time, as an ISO instant with offset. */
export function zurichLocalToIso(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let utc = wall - zurichOffsetMinutes(wall) * 60_000;
  utc = wall - zurichOffsetMinutes(utc) * 60_000;
  return new Date(utc).toISOString();
}
