import { accountEn } from './account/en.ts';
import { followUpEn } from './follow-up/en.ts';
import { portalEn } from './portal/en.ts';
import { staffEn } from './staff/en.ts';

/**
 * English texts; the French and German files must have exactly the same keys (the types check it).
 * The web app downloads the portal's texts first and the staff's once a staff member is logged in
 * (i18n/index.ts); this whole catalogue is for the types and the tests.
 */
export const en = { ...portalEn, ...followUpEn, ...accountEn, ...staffEn };

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
export type PortalMessages = Widen<typeof portalEn>;
export type StaffMessages = Widen<typeof staffEn>;
export type FollowUpMessages = Widen<typeof followUpEn>;
export type AccountMessages = Widen<typeof accountEn>;
