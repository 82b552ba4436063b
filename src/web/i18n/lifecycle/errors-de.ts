import type { lifecycleErrorsEn } from './errors-en.ts';

export const lifecycleErrorsDe: typeof lifecycleErrorsEn = {
  lifecycle: {
    reminders_out_of_order: 'Die zweite Erinnerung muss nach der ersten kommen.',
    resolution_before_reminder: 'Die automatische Lösung muss nach der zweiten Erinnerung kommen.',
    follow_up_needs_closed: 'Nur eine geschlossene Anfrage kann eine Folgeanfrage haben.',
  },
  survey: {
    link_invalid: 'Dieser Umfragelink ist ungültig oder abgelaufen.',
    already_answered: 'Diese Umfrage wurde bereits beantwortet.',
    reporter_only: 'Nur die Person, die die Anfrage eröffnet hat, beantwortet die Umfrage.',
    not_asked: 'Diese Anfrage ist nicht geschlossen: Es gibt noch keine Umfrage.',
    range_inverted: 'Der letzte Monat darf nicht vor dem ersten liegen.',
  },
};
