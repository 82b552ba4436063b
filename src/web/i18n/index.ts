import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '#shared/domain.ts';
import type { Messages, PortalMessages, StaffMessages } from './en.ts';
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
 * Each language's texts are files of their own, downloaded when the language is first used: a visitor
 * downloads one language, not three. The portal's texts come first; the staff's (workspace,
 * administration) only once a staff member is logged in (`loadStaffTexts`), so a customer never
 * downloads them.
 */
const portalTexts: Record<Language, () => Promise<PortalMessages>> = {
  fr: async () => (await import('./portal/fr.ts')).portalFr,
  de: async () => (await import('./portal/de.ts')).portalDe,
  en: async () => (await import('./portal/en.ts')).portalEn,
};
const staffTexts: Record<Language, () => Promise<StaffMessages>> = {
  fr: async () => (await import('./staff/fr.ts')).staffFr,
  de: async () => (await import('./staff/de.ts')).staffDe,
  en: async () => (await import('./staff/en.ts')).staffEn,
};
/** Once a staff member has logged in on this page, every language loaded brings the staff's texts too. */
let withStaffTexts = false;

async function textsOf(language: Language): Promise<PortalMessages | Messages> {
  if (!withStaffTexts) return portalTexts[language]();
  const [portal, staff] = await Promise.all([portalTexts[language](), staffTexts[language]()]);
  return { ...portal, ...staff };
}

const bundledTexts: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init: () => {},
  read: (language, _namespace, callback) => {
    if (!isLanguage(language)) return callback(new Error(`no texts for ${language}`), false);
    textsOf(language).then(
      (messages) => callback(null, messages),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

const hasStaffTexts = (language: Language) => i18n.exists('workspace.nav', { lng: language });

async function addStaffTexts(language: Language): Promise<void> {
  // A language not downloaded yet gets them with its portal texts (textsOf).
  if (!i18n.hasResourceBundle(language, 'translation') || hasStaffTexts(language)) return;
  i18n.addResourceBundle(language, 'translation', await staffTexts[language](), true, true);
}

/**
 * Adds the staff's texts to the languages already downloaded, and to every one downloaded later. The
 * session waits for it before it shows a staff member's pages, so no page draws a missing text.
 */
export async function loadStaffTexts(): Promise<void> {
  withStaffTexts = true;
  await Promise.all(LANGUAGES.map(addStaffTexts));
}

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
    // Texts added later (the staff's) redraw what is on screen.
    react: { bindI18nStore: 'added' },
  });

/** `{{limit, fileSize}}`: a size in bytes in the reader's words and number format ("10,0 Mo"), as everywhere else. */
i18n.services.formatter?.add('fileSize', (value: unknown, language: string | undefined) => formatFileSize(Number(value), language ?? DEFAULT_LANGUAGE));

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
  // A language downloaded while its portal texts only were wanted (before a staff member logged in).
  if (withStaffTexts && isLanguage(language)) void addStaffTexts(language);
});

export { i18n };
