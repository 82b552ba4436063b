import type { Messages } from './en.ts';
import { accountDe } from './account/de.ts';
import { followUpDe } from './follow-up/de.ts';
import { portalDe } from './portal/de.ts';
import { staffDe } from './staff/de.ts';

/** The whole catalogue, for the tests (the web app loads its two parts separately: i18n/index.ts). */
export const de: Messages = { ...portalDe, ...followUpDe, ...accountDe, ...staffDe };
