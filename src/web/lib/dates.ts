/** The interface's dates and times: see `date-format.ts` for the rules; this adds the hook reading the profile. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../features/session/session.ts';
import { browserTimeZone, createDateFormatter, todayIn, type DateFormatter } from './date-format.ts';

export * from './date-format.ts';

/**
 * The interface's dates and times, in the language shown and the zone of the logged-in person's
 * profile. Logged out (no profile), the browser's own zone, unlabelled.
 */
export function useDateFormat(): DateFormatter {
  const { i18n } = useTranslation();
  const { data: me } = useMe();
  const zone = me?.timeZone.effective ?? browserTimeZone();
  return useMemo(() => createDateFormatter({ language: i18n.language, timeZone: zone, browserZone: browserTimeZone() }), [i18n.language, zone]);
}

/**
 * Today (YYYY-MM-DD) on the business calendar, in its zone: the day the server judges Flex
 * contracts, purchases, time entries and statements by. Logged out, the browser's day.
 */
export function useBusinessToday(): string {
  const { data: me } = useMe();
  return todayIn(me?.timeZone.calendar ?? browserTimeZone());
}

/** 'YYYY-MM' of the business calendar's month, shifted by whole months. */
export function useBusinessMonth(shift: number): string {
  const [year, month] = useBusinessToday().split('-').map(Number);
  const index = year! * 12 + (month! - 1) + shift;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
