import type { notificationsEn, notificationsErrorsEn } from './en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const notificationsFr: Widen<typeof notificationsEn> = {
  bell: {
    label: 'Notifications',
    labelUnread_one: 'Notifications, {{count}} non lue',
    labelUnread_other: 'Notifications, {{count}} non lues',
    title: 'Notifications',
    empty: 'Aucune notification pour l’instant.',
    markAllRead: 'Tout marquer comme lu',
    unread: 'Non lue',
  },
  preferences: {
    title: 'Notifications par e-mail',
    text: 'Choisissez les e-mails que vous recevez. Chaque notification apparaît aussi sous la cloche, quel que soit votre choix.',
    essential: 'Toujours envoyés : les e-mails du compte, une criticité abaissée, les escalades, l’avertissement de clôture et la résolution automatique.',
    saved: 'Préférences e-mail enregistrées.',
    categories: {
      'request-created': { label: 'Demande reçue', description: 'L’accusé de réception d’une demande ouverte par vous ou pour vous.' },
      'request-reply': { label: 'Réponses', description: 'Une réponse publique sur une demande à laquelle vous participez.' },
      'request-status': { label: 'Changements de statut', description: 'Une demande à laquelle vous participez change de statut.' },
      survey: { label: 'Enquête de satisfaction', description: 'L’invitation à évaluer une demande clôturée.' },
      'sla-warning': { label: 'Alertes SLA (agents)', description: 'Une demande de votre guichet a consommé 75 % d’un délai.' },
      'flex-balance': { label: 'Solde Flex', description: 'Le solde Flex de votre organisation passe sous son seuil.' },
    },
  },
  outbox: {
    nextAttemptAt: 'Prochain essai',
    deadTitle: 'Lettre morte',
    deadText:
      'Tous les essais ont échoué. Une fois le serveur de messagerie rétabli, renvoyez-le : il garde son Message-ID, le destinataire ne peut donc pas en recevoir deux copies différentes.',
    retry: 'Renvoyer',
    retried: 'Le message est de nouveau en file d’envoi.',
    heldTitle: 'Retenu',
    heldText:
      'Écrit alors qu’aucun serveur de messagerie n’était configuré (SMTP_URL), donc jamais envoyé. Une fois un serveur configuré, vous pouvez l’envoyer : il garde son Message-ID.',
  },
};

export const notificationsErrorsFr: Widen<typeof notificationsErrorsEn> = {
  notification: { not_found: 'Cette notification n’existe pas.' },
  outbox: {
    not_dead: 'Seul un message dont les essais sont épuisés, ou retenu faute de serveur de messagerie, peut être renvoyé.',
    no_smtp: 'Aucun serveur de messagerie n’est configuré (SMTP_URL) : le message ne peut pas être envoyé.',
  },
};
