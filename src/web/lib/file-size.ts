import { useTranslation } from 'react-i18next';
import { localeOf } from './locale.ts';

const KIB = 1024;
const MIB = 1024 * 1024;

/**
 * A file size in the interface's language: "340 o", "12 ko", "20,0 Mo" in French; "20.0 MB" in
 * English. Kilo and mega are 1024 and 1024², as the upload limit (ATTACHMENT_MAX_MB) counts them.
 */
export function formatFileSize(bytes: number, language: string): string {
  const locale = localeOf(language);
  if (bytes < KIB) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', maximumFractionDigits: 0 }).format(bytes);
  if (bytes < MIB) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.round(bytes / KIB));
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(bytes / MIB);
}

/** `formatFileSize` in the language shown. */
export function useFileSize(): (bytes: number) => string {
  const { i18n } = useTranslation();
  return (bytes) => formatFileSize(bytes, i18n.language);
}
