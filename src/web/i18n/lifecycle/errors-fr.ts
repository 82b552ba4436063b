import type { lifecycleErrorsEn } from './errors-en.ts';

export const lifecycleErrorsFr: typeof lifecycleErrorsEn = {
  lifecycle: {
    reminders_out_of_order: 'Le second rappel doit venir après le premier.',
    resolution_before_reminder: 'La résolution automatique doit venir après le second rappel.',
    follow_up_needs_closed: 'Seule une demande fermée peut avoir une demande de suivi.',
  },
  survey: {
    link_invalid: 'Ce lien de questionnaire n’est pas valide ou a expiré.',
    already_answered: 'Ce questionnaire a déjà reçu une réponse.',
    reporter_only: 'Seule la personne qui a ouvert la demande répond au questionnaire.',
    not_asked: 'Cette demande n’est pas fermée : il n’y a pas encore de questionnaire.',
    range_inverted: 'Le dernier mois ne peut pas précéder le premier.',
  },
};
