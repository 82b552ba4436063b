/**
 * Statuses, transitions and criticality levels of a request (DESIGN.md §2), shared by the server,
 * which enforces them, and the web app, which shows them. Plain values: the first pages import this
 * file, so it brings no zod (the schemas of these lists are in enums.ts).
 */
import type { Language } from './domain.ts';

export const STATUSES = ['open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party', 'resolved', 'closed', 'canceled'] as const;
export type Status = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly Status[] = ['open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party'];
export const FINAL_STATUSES: readonly Status[] = ['closed', 'canceled'];
/** Closed is final (DESIGN.md §2): nothing more is written on the request; a follow-up request is opened instead. */
export const isFinal = (status: Status): boolean => FINAL_STATUSES.includes(status);

/**
 * The statuses as customers know them (DESIGN.md §2): waiting for a third party (R&D, a patch) is
 * "in progress" to them. Every rule about what a customer sees or is told keys on these, never on
 * the labels, which an administrator may rename.
 */
export const CUSTOMER_STATUSES = [
  'open',
  'qualified',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
  'canceled',
] as const satisfies readonly Status[];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export function customerStatusOf(status: Status): CustomerStatus {
  return status === 'waiting_third_party' ? 'in_progress' : status;
}

/** The internal statuses a customer reads as one of these (in_progress: in progress, and waiting for a third party). */
export const statusesShownAs = (shown: readonly CustomerStatus[]): Status[] => STATUSES.filter((status) => shown.includes(customerStatusOf(status)));

/** Whether a change of status is one the customer sees (so is told about, by e-mail and in the history). */
export const customerSeesStatusChange = (from: Status, to: Status): boolean => customerStatusOf(from) !== customerStatusOf(to);

/** What the customer reads, per customer status. */
export const CUSTOMER_STATUS_TEXTS: Record<CustomerStatus, Record<Language, string>> = {
  open: { fr: 'Ouvert', de: 'Offen', en: 'Submitted' },
  qualified: { fr: 'Qualifié', de: 'Qualifiziert', en: 'Acknowledged' },
  in_progress: { fr: 'En cours', de: 'In Bearbeitung', en: 'In progress' },
  waiting_customer: { fr: 'En attente de votre réponse', de: 'Wartet auf Ihre Antwort', en: 'Waiting for your reply' },
  resolved: { fr: 'Résolu', de: 'Gelöst', en: 'Resolved' },
  closed: { fr: 'Fermé', de: 'Geschlossen', en: 'Closed' },
  canceled: { fr: 'Annulé', de: 'Storniert', en: 'Canceled' },
};

/** What the customer reads for each internal status (that of its customer status). */
export const CUSTOMER_STATUS_LABELS: Record<Status, Record<Language, string>> = Object.fromEntries(
  STATUSES.map((status) => [status, CUSTOMER_STATUS_TEXTS[customerStatusOf(status)]]),
) as Record<Status, Record<Language, string>>;

/** What agents read: the internal status, precise. */
export const AGENT_STATUS_LABELS: Record<Status, Record<Language, string>> = {
  open: { fr: 'Ouvert', de: 'Offen', en: 'Open' },
  qualified: { fr: 'Qualifié', de: 'Qualifiziert', en: 'Qualified' },
  in_progress: { fr: 'En cours', de: 'In Bearbeitung', en: 'In progress' },
  waiting_customer: { fr: 'En attente du client', de: 'Wartet auf Kunde', en: 'Waiting for customer' },
  waiting_third_party: { fr: 'En attente d’un tiers', de: 'Wartet auf Dritte', en: 'Waiting for third party' },
  resolved: { fr: 'Résolu', de: 'Gelöst', en: 'Resolved' },
  closed: { fr: 'Fermé', de: 'Geschlossen', en: 'Closed' },
  canceled: { fr: 'Annulé', de: 'Storniert', en: 'Canceled' },
};

/** Who may move a request from one status to another. Anything not listed is refused with 409. */
export const AGENT_TRANSITIONS: Record<Status, readonly Status[]> = {
  open: ['qualified', 'in_progress', 'waiting_customer', 'resolved', 'canceled'],
  qualified: ['in_progress', 'waiting_customer', 'waiting_third_party', 'resolved'],
  in_progress: ['waiting_customer', 'waiting_third_party', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  waiting_third_party: ['in_progress', 'resolved'],
  resolved: ['in_progress'],
  closed: [],
  canceled: [],
};
export const CUSTOMER_TRANSITIONS: Record<Status, readonly Status[]> = {
  open: ['canceled'],
  qualified: ['canceled'],
  in_progress: [],
  waiting_customer: [],
  waiting_third_party: [],
  resolved: ['closed'],
  closed: [],
  canceled: [],
};

export type TransitionActor = 'agent' | 'customer';
export const canTransition = (actor: TransitionActor, from: Status, to: Status) =>
  (actor === 'agent' ? AGENT_TRANSITIONS : CUSTOMER_TRANSITIONS)[from].includes(to);

export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
/** Higher is more critical. */
export const CRITICALITY_RANK: Record<Criticality, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export const CRITICALITY_LABELS: Record<Criticality, Record<Language, string>> = {
  critical: { fr: 'Critique', de: 'Kritisch', en: 'Critical' },
  high: { fr: 'Haute', de: 'Hoch', en: 'High' },
  medium: { fr: 'Moyenne', de: 'Mittel', en: 'Medium' },
  low: { fr: 'Basse', de: 'Niedrig', en: 'Low' },
};

export const CRITICALITY_DEFINITIONS: Record<Criticality, Record<Language, string>> = {
  critical: {
    fr: 'Processus vital bloqué, non contournable, risque de perte de chiffre d’affaires.',
    de: 'Lebenswichtiger Prozess blockiert, keine Umgehung möglich, Risiko von Umsatzverlust.',
    en: 'A vital process is blocked with no workaround; risk of lost revenue.',
  },
  high: {
    fr: 'Processus vital bloqué, pas de risque immédiat de perte de chiffre d’affaires.',
    de: 'Lebenswichtiger Prozess blockiert, kein unmittelbares Risiko von Umsatzverlust.',
    en: 'A vital process is blocked; no immediate risk of lost revenue.',
  },
  medium: {
    fr: 'Contournable difficilement et de manière coûteuse.',
    de: 'Nur schwer und mit hohem Aufwand zu umgehen.',
    en: 'Hard and costly to work around.',
  },
  low: {
    fr: 'Facilement contournable, ou confort.',
    de: 'Leicht zu umgehen, oder Komfort.',
    en: 'Easily worked around, or a matter of comfort.',
  },
};
