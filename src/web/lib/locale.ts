const LOCALES: Record<string, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

/** The formatting locale of an interface language (Swiss conventions for fr and de). */
export const localeOf = (language: string): string => LOCALES[language] ?? 'fr-CH';
