import type { Messages } from './en.ts';
import { accountFr } from './account/fr.ts';
import { followUpFr } from './follow-up/fr.ts';
import { portalFr } from './portal/fr.ts';
import { staffFr } from './staff/fr.ts';

/** The whole catalogue, for the tests (the web app loads its two parts separately: i18n/index.ts). */
export const fr: Messages = { ...portalFr, ...followUpFr, ...accountFr, ...staffFr };
