/** Texts of the bell (in-app notifications), the e-mail preferences and the outbox's dead letter; fr.ts and de.ts have the same keys. */
export const notificationsEn = {
  bell: {
    label: 'Notifications',
    labelUnread_one: 'Notifications, {{count}} unread',
    labelUnread_other: 'Notifications, {{count}} unread',
    title: 'Notifications',
    empty: 'No notification yet.',
    markAllRead: 'Mark all as read',
    unread: 'Unread',
  },
  preferences: {
    title: 'E-mail notifications',
    text: 'Choose which e-mails you receive. Every notification also appears under the bell, whatever you choose here.',
    essential: 'Always sent: account e-mails, a lowered criticality, escalations, the closure warning and the automatic resolution.',
    saved: 'E-mail preferences saved.',
    categories: {
      'request-created': { label: 'Request received', description: 'The acknowledgement of a request opened by you or for you.' },
      'request-reply': { label: 'Replies', description: 'A public reply on a request you take part in.' },
      'request-status': { label: 'Status changes', description: 'A request you take part in changes status.' },
      survey: { label: 'Satisfaction survey', description: 'The invitation to rate a closed request.' },
      'sla-warning': { label: 'SLA warnings (agents)', description: 'A request of your desk has used 75 % of a target.' },
      'flex-balance': { label: 'Flex balance', description: 'Your organization’s Flex balance falls under its threshold.' },
    },
  },
  outbox: {
    nextAttemptAt: 'Next try',
    deadTitle: 'Dead letter',
    deadText: 'Every try failed. Once the mail server works again, send it again: it keeps its Message-ID, so the recipient cannot get two different copies.',
    retry: 'Send again',
    retried: 'The message is queued again.',
    heldTitle: 'Held',
    heldText: 'Written while no mail server was configured (SMTP_URL), so never sent. Once one is, you can send it: it keeps its Message-ID.',
  },
};

export const notificationsErrorsEn = {
  notification: { not_found: 'This notification does not exist.' },
  outbox: {
    not_dead: 'Only a message whose tries are used up, or one held without a mail server, can be sent again.',
    no_smtp: 'No mail server is configured (SMTP_URL): the message cannot be sent.',
  },
};
