import { DEFAULT_LANGUAGE, LANGUAGES, LOCALES, type Language } from '#shared/domain.ts';

const known = (language: string): language is Language => (LANGUAGES as readonly string[]).includes(language);

/** The formatting locale of an interface language (Swiss conventions for fr and de); French's for an unknown one. */
export const localeOf = (language: string): string => LOCALES[known(language) ? language : DEFAULT_LANGUAGE];
