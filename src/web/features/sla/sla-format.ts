import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import { useDateFormat } from '../../lib/dates.ts';

/** SLA instants (deadlines, with their weekday) in the interface's one zone and language; durations in hours and minutes. */
export function useSlaFormat() {
  const { t, i18n } = useTranslation();
  const dates = useDateFormat();
  return {
    language: ((LANGUAGES as readonly string[]).includes(i18n.language) ? i18n.language : 'fr') as Language,
    dateTime: dates.deadline,
    timeZone: dates.timeZone,
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
