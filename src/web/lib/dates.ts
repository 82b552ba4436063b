/** The interface's dates and times: see `date-format.ts` for the rules; this adds the hook reading the profile. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../features/session/session.ts';
import { browserTimeZone, createDateFormatter, type DateFormatter } from './date-format.ts';

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
