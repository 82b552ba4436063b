/** The languages and roles, as plain values: the first pages import this file, so it brings no zod (their schemas are in enums.ts). */
export const LANGUAGES = ['fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fr';
/** The formatting locale of each interface language (Swiss conventions for fr and de), for dates and numbers. */
export const LOCALES: Record<Language, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

export const ROLES = ['customer', 'agent', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
