import { useTranslation } from 'react-i18next';

const LOCALES: Record<string, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

/** Formats instants in the interface language (Swiss conventions for fr and de). */
export function useDateFormat() {
  const { i18n } = useTranslation();
  const locale = LOCALES[i18n.language] ?? 'fr-CH';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return {
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
  };
}
