import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '#shared/domain.ts';
import type { AccountMessages, FollowUpMessages, Messages, PortalMessages, StaffMessages } from './en.ts';
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
 * downloads one language, not three. The portal's texts come first; the other parts with what needs
 * them: a request's follow-up (SLA, automatic closure, survey, escalation) with the pages that show
 * it (`loadTexts('followUp')`), a person's account settings (two-factor, API tokens) with the profile
 * and the log-in's code step (`loadTexts('account')`), the staff's (workspace, administration) once a staff member is logged
 * in (`loadStaffTexts`), so a customer's first page downloads neither.
 */
const portalTexts: Record<Language, () => Promise<PortalMessages>> = {
  fr: async () => (await import('./portal/fr.ts')).portalFr,
  de: async () => (await import('./portal/de.ts')).portalDe,
  en: async () => (await import('./portal/en.ts')).portalEn,
};
const parts = {
  followUp: {
    /** A key of the part: present once the part is there. */
    probe: 'sla.request.title',
    texts: {
      fr: async () => (await import('./follow-up/fr.ts')).followUpFr,
      de: async () => (await import('./follow-up/de.ts')).followUpDe,
      en: async () => (await import('./follow-up/en.ts')).followUpEn,
    } satisfies Record<Language, () => Promise<FollowUpMessages>>,
  },
  account: {
    probe: 'apiTokens.title',
    texts: {
      fr: async () => (await import('./account/fr.ts')).accountFr,
      de: async () => (await import('./account/de.ts')).accountDe,
      en: async () => (await import('./account/en.ts')).accountEn,
    } satisfies Record<Language, () => Promise<AccountMessages>>,
  },
  staff: {
    probe: 'workspace.nav',
    texts: {
      fr: async () => (await import('./staff/fr.ts')).staffFr,
      de: async () => (await import('./staff/de.ts')).staffDe,
      en: async () => (await import('./staff/en.ts')).staffEn,
    } satisfies Record<Language, () => Promise<StaffMessages>>,
  },
};
export type TextPart = keyof typeof parts;
/** The parts wanted on this page so far: every language loaded from then on brings them too. */
const wanted = new Set<TextPart>();

async function textsOf(language: Language): Promise<PortalMessages | Messages> {
  const loaded = await Promise.all([portalTexts[language](), ...[...wanted].map((part) => parts[part].texts[language]())]);
  return Object.assign({}, ...loaded);
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

async function addPart(language: Language, part: TextPart): Promise<void> {
  // A language not downloaded yet gets it with its portal texts (textsOf).
  if (!i18n.hasResourceBundle(language, 'translation') || i18n.exists(parts[part].probe, { lng: language })) return;
  i18n.addResourceBundle(language, 'translation', await parts[part].texts[language](), true, true);
}

/**
 * Adds these parts of the texts to the languages already downloaded, and to every one downloaded
 * later. A page that needs a part waits for it before it draws (app.tsx), so no page draws a key.
 */
export async function loadTexts(...needed: TextPart[]): Promise<void> {
  for (const part of needed) wanted.add(part);
  await Promise.all(LANGUAGES.flatMap((language) => needed.map((part) => addPart(language, part))));
}

/** A staff member's pages use every part: the session waits for them before it shows one. */
export const loadStaffTexts = () => loadTexts('staff', 'followUp', 'account');

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
  // A language downloaded before a part was wanted.
  if (isLanguage(language)) for (const part of wanted) void addPart(language, part);
});

export { i18n };
