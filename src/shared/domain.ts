import { z } from 'zod';

export const LANGUAGES = ['fr', 'de', 'en'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;
export const DEFAULT_LANGUAGE: Language = 'fr';
/** The formatting locale of each interface language (Swiss conventions for fr and de), for dates and numbers. */
export const LOCALES: Record<Language, string> = { fr: 'fr-CH', de: 'de-CH', en: 'en-GB' };

export const ROLES = ['customer', 'agent', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
