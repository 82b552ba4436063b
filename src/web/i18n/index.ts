import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '#shared/domain.ts';
import type { Messages } from './en.ts';
import { formatFileSize } from '../lib/file-size.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

const STORAGE_KEY = 'guichet.language';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The language chosen on this browser while logged out (French by default). */
export function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/**
 * Each language's texts are a file of their own, downloaded when the language is first used: a visitor
 * downloads one language, not three.
 */
const texts: Record<Language, () => Promise<Messages>> = {
  fr: async () => (await import('./fr.ts')).fr,
  de: async () => (await import('./de.ts')).de,
  en: async () => (await import('./en.ts')).en,
};

const bundledTexts: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init: () => {},
  read: (language, _namespace, callback) => {
    if (!isLanguage(language)) return callback(new Error(`no texts for ${language}`), false);
    texts[language]().then(
      (messages) => callback(null, messages),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

// The first page is drawn once its texts are there (main.tsx imports this module first).
// No fallback language: the types make every language have every text, and a fallback would be one more download.
await i18n
  .use(initReactI18next)
  .use(bundledTexts)
  .init({
    lng: storedLanguage(),
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: ['translation'],
    defaultNS: 'translation',
    interpolation: { escapeValue: false },
  });

/** `{{limit, fileSize}}`: a size in bytes in the reader's words and number format ("10,0 Mo"), as everywhere else. */
i18n.services.formatter?.add('fileSize', (value: unknown, language: string | undefined) => formatFileSize(Number(value), language ?? DEFAULT_LANGUAGE));

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export { i18n };
