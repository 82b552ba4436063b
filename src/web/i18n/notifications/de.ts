import type { notificationsEn, notificationsErrorsEn } from './en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const notificationsDe: Widen<typeof notificationsEn> = {
  bell: {
    label: 'Benachrichtigungen',
    labelUnread_one: 'Benachrichtigungen, {{count}} ungelesen',
    labelUnread_other: 'Benachrichtigungen, {{count}} ungelesen',
    title: 'Benachrichtigungen',
    empty: 'Noch keine Benachrichtigung.',
    markAllRead: 'Alle als gelesen markieren',
    unread: 'Ungelesen',
  },
  preferences: {
    title: 'E-Mail-Benachrichtigungen',
    text: 'Wählen Sie, welche E-Mails Sie erhalten. Jede Benachrichtigung erscheint unabhängig davon auch unter der Glocke.',
    essential: 'Immer gesendet: Konto-E-Mails, eine herabgesetzte Kritikalität, Eskalationen, die Abschlusswarnung und die automatische Lösung.',
    saved: 'E-Mail-Einstellungen gespeichert.',
    categories: {
      'request-created': { label: 'Anfrage erhalten', description: 'Die Eingangsbestätigung einer von Ihnen oder für Sie eröffneten Anfrage.' },
      'request-reply': { label: 'Antworten', description: 'Eine öffentliche Antwort auf eine Anfrage, an der Sie beteiligt sind.' },
      'request-status': { label: 'Statusänderungen', description: 'Eine Anfrage, an der Sie beteiligt sind, ändert ihren Status.' },
      survey: { label: 'Zufriedenheitsumfrage', description: 'Die Einladung, eine abgeschlossene Anfrage zu bewerten.' },
      'sla-warning': { label: 'SLA-Warnungen (Agents)', description: 'Eine Anfrage Ihres Schalters hat 75 % einer Frist verbraucht.' },
      'flex-balance': { label: 'Flex-Guthaben', description: 'Das Flex-Guthaben Ihrer Organisation fällt unter seine Schwelle.' },
    },
  },
  outbox: {
    nextAttemptAt: 'Nächster Versuch',
    deadTitle: 'Unzustellbar',
    deadText:
      'Alle Versuche sind fehlgeschlagen. Sobald der Mailserver wieder funktioniert, senden Sie sie erneut: Sie behält ihre Message-ID, der Empfänger kann also keine zwei verschiedenen Kopien erhalten.',
    retry: 'Erneut senden',
    retried: 'Die Nachricht ist wieder in der Warteschlange.',
    heldTitle: 'Zurückgehalten',
    heldText:
      'Geschrieben, als kein Mailserver konfiguriert war (SMTP_URL), daher nie gesendet. Sobald einer konfiguriert ist, können Sie sie senden: Sie behält ihre Message-ID.',
  },
};

export const notificationsErrorsDe: Widen<typeof notificationsErrorsEn> = {
  notification: { not_found: 'Diese Benachrichtigung existiert nicht.' },
  outbox: {
    not_dead: 'Nur eine Nachricht, deren Versuche aufgebraucht sind oder die mangels Mailserver zurückgehalten wurde, kann erneut gesendet werden.',
    no_smtp: 'Es ist kein Mailserver konfiguriert (SMTP_URL): Die Nachricht kann nicht gesendet werden.',
  },
};
