import type { Language } from '#shared/domain.ts';
import type { EmailCategory } from '#shared/notifications-api.ts';
import { markdownToHtml, markdownToText } from './markdown.ts';

/** Every e-mail Guichet sends, with its parameters. */
export type MailTemplates = {
  'verify-email': { name: string; url: string };
  'reset-password': { name: string; url: string };
  invitation: { inviterName: string; organizationName: string | null; url: string };
  'ticket-created': {
    key: string;
    summary: string;
    url: string;
    openedBy: string | null;
    criticality: string;
    /** Opened from the customer's e-mail: the acknowledgement says the criticality was set for them and where to change it. */
    byEmail?: boolean;
    /** The closed request it follows up. */
    followUpOf?: string | null;
  };
  /** `replyByEmail`: mail is read (IMAP_URL or INBOUND_SMTP_PORT), so answering the e-mail works. */
  'ticket-reply': { key: string; summary: string; url: string; authorName: string; body: string; replyByEmail?: boolean };
  'ticket-status': { key: string; summary: string; url: string; status: string };
  'ticket-criticality': { key: string; summary: string; url: string; from: string; to: string; reason: string | null; lowered: boolean };
  /** SLA (DESIGN.md §2): 75 % of a target, breach (escalation level 2), twice the target (level 3). `clock` and `deadline` are already in the recipient's language. */
  'sla-warning': SlaAlert;
  'sla-breach': SlaAlert;
  'sla-level3': SlaAlert;
  /** Automatic closure (DESIGN.md §2): `resolveOn` and `closeOn` are already in the recipient's language. */
  'lifecycle-reminder': { key: string; summary: string; url: string; number: 1 | 2; resolveOn: string };
  'lifecycle-resolved': { key: string; summary: string; url: string; businessDays: number; closeOn: string };
  /** The satisfaction survey of a closed request, to its reporter; `url` is a signed link. */
  'survey-invitation': { key: string; summary: string; url: string };
  /** Flex (DESIGN.md §2): the balance fell under the organization's threshold; amounts already formatted (e.g. "3 h 30"). */
  'flex-low-balance': { organizationName: string; balance: string; threshold: string; url: string };
  /** The one answer to an e-mail that could not be taken (its sender may not write on the request it names, or has no account). */
  'inbound-refused': { subject: string; url: string };
  /** A reply by e-mail was posted, but some of its attachments were not (too large, a refused type, over the quota). */
  'inbound-attachments-refused': { key: string; url: string; files: string; maxMb: number };
  /** A webhook subscription was disabled after repeated failed deliveries; to administrators. `url`: its page. */
  'webhook-disabled': { endpoint: string; description: string; failures: number; url: string };
};
type SlaAlert = { key: string; summary: string; url: string; clock: string; criticality: string; deadline: string; target: string };
export type MailTemplate = keyof MailTemplates;

/**
 * The preference category of each template (a user may turn off the e-mails of a category; the
 * in-app notification stays), or 'essential': always sent — account mails, a lowered criticality,
 * escalations, the closure warning and the automatic resolution. A new template must be listed here.
 */
export const mailCategories: { [T in MailTemplate]: EmailCategory | 'essential' } = {
  'verify-email': 'essential',
  'reset-password': 'essential',
  invitation: 'essential',
  'ticket-created': 'request-created',
  'ticket-reply': 'request-reply',
  'ticket-status': 'request-status',
  'ticket-criticality': 'essential',
  'sla-warning': 'sla-warning',
  'sla-breach': 'essential',
  'sla-level3': 'essential',
  // The reminders announce the automatic resolution: they are the closure warning.
  'lifecycle-reminder': 'essential',
  'lifecycle-resolved': 'essential',
  'survey-invitation': 'survey',
  'flex-low-balance': 'flex-balance',
  'inbound-refused': 'essential',
  'inbound-attachments-refused': 'essential',
  'webhook-disabled': 'essential',
};

/**
 * `details` are quoted texts written by people (a reply, a reason), in Markdown, shown between the
 * introduction and the link, each after an optional label of the template's own copy.
 */
type Detail = { label?: string; markdown: string };
type Copy = { subject: string; intro: string; details?: Detail[]; action: string; outro: string };

const copy: { [T in MailTemplate]: Record<Language, (p: MailTemplates[T]) => Copy> } = {
  'verify-email': {
    fr: (p) => ({
      subject: 'Confirmez votre adresse e-mail',
      intro: `Bonjour ${p.name}, merci de vous être inscrit·e sur le portail Customer Services.`,
      action: 'Confirmer mon adresse',
      outro: "Ce lien est valable 24 heures et ne sert qu'une fois. Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message.",
    }),
    de: (p) => ({
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
      intro: `Guten Tag ${p.name}, danke für Ihre Registrierung im Customer-Services-Portal.`,
      action: 'Adresse bestätigen',
      outro: 'Dieser Link ist 24 Stunden gültig und nur einmal verwendbar. Falls Sie sich nicht registriert haben, ignorieren Sie diese Nachricht.',
    }),
    en: (p) => ({
      subject: 'Confirm your e-mail address',
      intro: `Hello ${p.name}, thank you for signing up to the Customer Services portal.`,
      action: 'Confirm my address',
      outro: 'This link is valid for 24 hours and works once. If you did not sign up, ignore this message.',
    }),
  },
  'reset-password': {
    fr: (p) => ({
      subject: 'Réinitialisation de votre mot de passe',
      intro: `Bonjour ${p.name}, une réinitialisation du mot de passe a été demandée pour votre compte.`,
      action: 'Choisir un nouveau mot de passe',
      outro: "Ce lien est valable une heure et ne sert qu'une fois. Toutes vos sessions seront fermées. Si vous n'avez rien demandé, ignorez ce message.",
    }),
    de: (p) => ({
      subject: 'Zurücksetzen Ihres Passworts',
      intro: `Guten Tag ${p.name}, für Ihr Konto wurde das Zurücksetzen des Passworts angefordert.`,
      action: 'Neues Passwort wählen',
      outro:
        'Dieser Link ist eine Stunde gültig und nur einmal verwendbar. Alle Ihre Sitzungen werden beendet. Falls Sie nichts angefordert haben, ignorieren Sie diese Nachricht.',
    }),
    en: (p) => ({
      subject: 'Reset your password',
      intro: `Hello ${p.name}, a password reset was requested for your account.`,
      action: 'Choose a new password',
      outro: 'This link is valid for one hour and works once. All your sessions will end. If you did not ask for it, ignore this message.',
    }),
  },
  invitation: {
    fr: (p) => ({
      subject: 'Invitation au portail Customer Services',
      intro: `${p.inviterName} vous invite sur le portail Customer Services${p.organizationName ? ` pour ${p.organizationName}` : ''}.`,
      action: "Accepter l'invitation",
      outro: "Ce lien est valable 7 jours et ne sert qu'une fois.",
    }),
    de: (p) => ({
      subject: 'Einladung zum Customer-Services-Portal',
      intro: `${p.inviterName} lädt Sie zum Customer-Services-Portal ein${p.organizationName ? ` für ${p.organizationName}` : ''}.`,
      action: 'Einladung annehmen',
      outro: 'Dieser Link ist 7 Tage gültig und nur einmal verwendbar.',
    }),
    en: (p) => ({
      subject: 'Invitation to the Customer Services portal',
      intro: `${p.inviterName} invites you to the Customer Services portal${p.organizationName ? ` for ${p.organizationName}` : ''}.`,
      action: 'Accept the invitation',
      outro: 'This link is valid for 7 days and works once.',
    }),
  },
  'ticket-created': {
    fr: (p) => ({
      subject: `[${p.key}] Demande reçue : ${p.summary}`,
      intro: [
        p.openedBy
          ? `${p.openedBy}, du Customer Services, a ouvert la demande ${p.key} pour vous (criticité ${p.criticality}).`
          : `Nous avons bien reçu votre demande ${p.key} (criticité ${p.criticality}). Le Customer Services va la qualifier.`,
        p.followUpOf ? `Elle fait suite à la demande ${p.followUpOf}, qui était clôturée.` : '',
        p.byEmail ? `Ouverte depuis votre e-mail, elle a reçu la criticité ${p.criticality} ; vous pouvez la changer sur la page de la demande.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      action: 'Voir la demande',
      outro: 'Répondez depuis le portail pour compléter votre demande.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Anfrage erhalten: ${p.summary}`,
      intro: [
        p.openedBy
          ? `${p.openedBy} vom Customer Services hat die Anfrage ${p.key} für Sie eröffnet (Kritikalität ${p.criticality}).`
          : `Wir haben Ihre Anfrage ${p.key} erhalten (Kritikalität ${p.criticality}). Der Customer Services wird sie qualifizieren.`,
        p.followUpOf ? `Sie folgt auf die Anfrage ${p.followUpOf}, die geschlossen war.` : '',
        p.byEmail ? `Aus Ihrer E-Mail eröffnet, hat sie die Kritikalität ${p.criticality} erhalten; Sie können sie auf der Seite der Anfrage ändern.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      action: 'Anfrage ansehen',
      outro: 'Antworten Sie im Portal, um Ihre Anfrage zu ergänzen.',
    }),
    en: (p) => ({
      subject: `[${p.key}] Request received: ${p.summary}`,
      intro: [
        p.openedBy
          ? `${p.openedBy} of Customer Services opened request ${p.key} on your behalf (criticality ${p.criticality}).`
          : `We have received your request ${p.key} (criticality ${p.criticality}). Customer Services will qualify it.`,
        p.followUpOf ? `It follows up request ${p.followUpOf}, which was closed.` : '',
        p.byEmail ? `Opened from your e-mail, it was given the criticality ${p.criticality}; you can change it on the request's page.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      action: 'View the request',
      outro: 'Reply on the portal to add to your request.',
    }),
  },
  'ticket-reply': {
    fr: (p) => ({
      subject: `[${p.key}] Nouvelle réponse : ${p.summary}`,
      intro: `${p.authorName} a répondu à la demande ${p.key} :`,
      details: [{ markdown: p.body }],
      action: 'Répondre sur le portail',
      outro: p.replyByEmail ? 'Vous pouvez aussi répondre directement à cet e-mail.' : '',
    }),
    de: (p) => ({
      subject: `[${p.key}] Neue Antwort: ${p.summary}`,
      intro: `${p.authorName} hat auf die Anfrage ${p.key} geantwortet:`,
      details: [{ markdown: p.body }],
      action: 'Im Portal antworten',
      outro: p.replyByEmail ? 'Sie können auch direkt auf diese E-Mail antworten.' : '',
    }),
    en: (p) => ({
      subject: `[${p.key}] New reply: ${p.summary}`,
      intro: `${p.authorName} replied to request ${p.key}:`,
      details: [{ markdown: p.body }],
      action: 'Reply on the portal',
      outro: p.replyByEmail ? 'You can also simply reply to this e-mail.' : '',
    }),
  },
  'ticket-status': {
    fr: (p) => ({
      subject: `[${p.key}] ${p.status} : ${p.summary}`,
      intro: `Le statut de la demande ${p.key} est maintenant « ${p.status} ».`,
      action: 'Voir la demande',
      outro: '',
    }),
    de: (p) => ({
      subject: `[${p.key}] ${p.status}: ${p.summary}`,
      intro: `Der Status der Anfrage ${p.key} ist jetzt «${p.status}».`,
      action: 'Anfrage ansehen',
      outro: '',
    }),
    en: (p) => ({ subject: `[${p.key}] ${p.status}: ${p.summary}`, intro: `Request ${p.key} is now “${p.status}”.`, action: 'View the request', outro: '' }),
  },
  'ticket-criticality': {
    fr: (p) => ({
      subject: `[${p.key}] Criticité ${p.lowered ? 'abaissée' : 'modifiée'} : ${p.to}`,
      intro: `Le Customer Services a ${p.lowered ? 'abaissé' : 'modifié'} la criticité de la demande ${p.key} de « ${p.from} » à « ${p.to} ».`,
      details: p.reason ? [{ label: 'Raison :', markdown: p.reason }] : [],
      action: 'Voir la demande',
      outro: 'Si cette criticité ne correspond pas à votre situation, répondez sur la demande.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Kritikalität ${p.lowered ? 'herabgesetzt' : 'geändert'}: ${p.to}`,
      intro: `Der Customer Services hat die Kritikalität der Anfrage ${p.key} von «${p.from}» auf «${p.to}» ${p.lowered ? 'herabgesetzt' : 'geändert'}.`,
      details: p.reason ? [{ label: 'Begründung:', markdown: p.reason }] : [],
      action: 'Anfrage ansehen',
      outro: 'Falls diese Kritikalität nicht Ihrer Lage entspricht, antworten Sie auf die Anfrage.',
    }),
    en: (p) => ({
      subject: `[${p.key}] Criticality ${p.lowered ? 'lowered' : 'changed'}: ${p.to}`,
      intro: `Customer Services ${p.lowered ? 'lowered' : 'changed'} the criticality of request ${p.key} from “${p.from}” to “${p.to}”.`,
      details: p.reason ? [{ label: 'Reason:', markdown: p.reason }] : [],
      action: 'View the request',
      outro: 'If this criticality does not match your situation, reply on the request.',
    }),
  },
  'sla-warning': {
    fr: (p) => ({
      subject: `[${p.key}] SLA à 75 % : ${p.clock}`,
      intro: `La demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a consommé 75 % de son délai de ${p.clock} (${p.target}). Échéance : ${p.deadline}.`,
      action: 'Traiter la demande',
      outro: '',
    }),
    de: (p) => ({
      subject: `[${p.key}] SLA bei 75 %: ${p.clock}`,
      intro: `Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat 75 % ihrer Frist für ${p.clock} (${p.target}) verbraucht. Fällig: ${p.deadline}.`,
      action: 'Anfrage bearbeiten',
      outro: '',
    }),
    en: (p) => ({
      subject: `[${p.key}] SLA at 75%: ${p.clock}`,
      intro: `Request ${p.key} “${p.summary}” (criticality ${p.criticality}) has used 75% of its ${p.clock} target (${p.target}). Due: ${p.deadline}.`,
      action: 'Handle the request',
      outro: '',
    }),
  },
  'sla-breach': {
    fr: (p) => ({
      subject: `[${p.key}] SLA dépassé : ${p.clock}`,
      intro: `Escalade (niveau 2) : la demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a dépassé son délai de ${p.clock} (${p.target}), échu le ${p.deadline}.`,
      action: 'Voir la demande',
      outro: 'Vous recevez ce message comme contact de niveau 2 de la matrice d’escalade.',
    }),
    de: (p) => ({
      subject: `[${p.key}] SLA überschritten: ${p.clock}`,
      intro: `Eskalation (Stufe 2): Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat ihre Frist für ${p.clock} (${p.target}) überschritten, fällig am ${p.deadline}.`,
      action: 'Anfrage ansehen',
      outro: 'Sie erhalten diese Nachricht als Kontakt der Stufe 2 der Eskalationsmatrix.',
    }),
    en: (p) => ({
      subject: `[${p.key}] SLA breached: ${p.clock}`,
      intro: `Escalation (level 2): request ${p.key} “${p.summary}” (criticality ${p.criticality}) has breached its ${p.clock} target (${p.target}), due ${p.deadline}.`,
      action: 'View the request',
      outro: 'You receive this as a level 2 contact of the escalation matrix.',
    }),
  },
  'lifecycle-reminder': {
    fr: (p) => ({
      subject: `[${p.key}] Rappel : nous attendons votre réponse`,
      intro: `La demande ${p.key} « ${p.summary} » attend votre réponse${p.number === 2 ? ' (second rappel)' : ''}. Sans réponse, elle sera résolue automatiquement le ${p.resolveOn}.`,
      action: 'Répondre sur le portail',
      outro: 'Une réponse de votre part relance le traitement de la demande.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Erinnerung: Wir warten auf Ihre Antwort`,
      intro: `Die Anfrage ${p.key} «${p.summary}» wartet auf Ihre Antwort${p.number === 2 ? ' (zweite Erinnerung)' : ''}. Ohne Antwort wird sie am ${p.resolveOn} automatisch gelöst.`,
      action: 'Im Portal antworten',
      outro: 'Mit Ihrer Antwort geht die Bearbeitung der Anfrage weiter.',
    }),
    en: (p) => ({
      subject: `[${p.key}] Reminder: we are waiting for your reply`,
      intro: `Request ${p.key} “${p.summary}” is waiting for your reply${p.number === 2 ? ' (second reminder)' : ''}. Without a reply it will be resolved automatically on ${p.resolveOn}.`,
      action: 'Reply on the portal',
      outro: 'Your reply puts the request back in progress.',
    }),
  },
  'lifecycle-resolved': {
    fr: (p) => ({
      subject: `[${p.key}] Résolue automatiquement : ${p.summary}`,
      intro: `La demande ${p.key} « ${p.summary} » a été résolue automatiquement, faute de réponse depuis ${p.businessDays} jours ouvrés.`,
      action: 'Répondre pour la rouvrir',
      outro: `Si le problème persiste, répondez sur la demande avant le ${p.closeOn} : elle sera rouverte. Elle sera ensuite fermée.`,
    }),
    de: (p) => ({
      subject: `[${p.key}] Automatisch gelöst: ${p.summary}`,
      intro: `Die Anfrage ${p.key} «${p.summary}» wurde automatisch gelöst, da seit ${p.businessDays} Geschäftstagen keine Antwort einging.`,
      action: 'Antworten, um sie wieder zu öffnen',
      outro: `Falls das Problem weiter besteht, antworten Sie vor dem ${p.closeOn} auf die Anfrage: Sie wird wieder geöffnet. Danach wird sie geschlossen.`,
    }),
    en: (p) => ({
      subject: `[${p.key}] Resolved automatically: ${p.summary}`,
      intro: `Request ${p.key} “${p.summary}” was resolved automatically: there was no reply for ${p.businessDays} business days.`,
      action: 'Reply to reopen it',
      outro: `If the problem persists, reply on the request before ${p.closeOn} and it reopens. After that it will be closed.`,
    }),
  },
  'survey-invitation': {
    fr: (p) => ({
      subject: `[${p.key}] Votre avis sur notre service`,
      intro: `La demande ${p.key} « ${p.summary} » est fermée. Comment jugez-vous notre service, de 1 à 5 ?`,
      action: 'Donner mon avis',
      outro: 'Ce lien est valable 30 jours et ne sert qu’une fois.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Ihre Meinung zu unserem Service`,
      intro: `Die Anfrage ${p.key} «${p.summary}» ist geschlossen. Wie beurteilen Sie unseren Service, von 1 bis 5?`,
      action: 'Meinung abgeben',
      outro: 'Dieser Link ist 30 Tage gültig und nur einmal verwendbar.',
    }),
    en: (p) => ({
      subject: `[${p.key}] How did we do?`,
      intro: `Request ${p.key} “${p.summary}” is closed. How would you rate our service, from 1 to 5?`,
      action: 'Give my rating',
      outro: 'This link is valid for 30 days and works once.',
    }),
  },
  'sla-level3': {
    fr: (p) => ({
      subject: `[${p.key}] SLA dépassé du double : ${p.clock}`,
      intro: `Escalade (niveau 3) : la demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a atteint le double de son délai de ${p.clock} (${p.target}) ; l’échéance était le ${p.deadline}.`,
      action: 'Voir la demande',
      outro: 'Vous recevez ce message comme contact de niveau 3 de la matrice d’escalade.',
    }),
    de: (p) => ({
      subject: `[${p.key}] SLA doppelt überschritten: ${p.clock}`,
      intro: `Eskalation (Stufe 3): Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat das Doppelte ihrer Frist für ${p.clock} (${p.target}) erreicht; fällig war sie am ${p.deadline}.`,
      action: 'Anfrage ansehen',
      outro: 'Sie erhalten diese Nachricht als Kontakt der Stufe 3 der Eskalationsmatrix.',
    }),
    en: (p) => ({
      subject: `[${p.key}] SLA breached twice over: ${p.clock}`,
      intro: `Escalation (level 3): request ${p.key} “${p.summary}” (criticality ${p.criticality}) has reached twice its ${p.clock} target (${p.target}); it was due ${p.deadline}.`,
      action: 'View the request',
      outro: 'You receive this as a level 3 contact of the escalation matrix.',
    }),
  },
  'flex-low-balance': {
    fr: (p) => ({
      subject: `Solde Flex bas : ${p.balance}`,
      intro: `Le solde Flex de ${p.organizationName} est passé sous le seuil de ${p.threshold} : il reste ${p.balance}.`,
      action: 'Voir le solde et le relevé',
      outro: 'Contactez-nous pour acheter des heures Flex supplémentaires.',
    }),
    de: (p) => ({
      subject: `Niedriges Flex-Guthaben: ${p.balance}`,
      intro: `Das Flex-Guthaben von ${p.organizationName} ist unter die Schwelle von ${p.threshold} gefallen: Es bleiben ${p.balance}.`,
      action: 'Guthaben und Auszug ansehen',
      outro: 'Kontaktieren Sie uns, um weitere Flex-Stunden zu kaufen.',
    }),
    en: (p) => ({
      subject: `Low Flex balance: ${p.balance}`,
      intro: `The Flex balance of ${p.organizationName} fell under the threshold of ${p.threshold}: ${p.balance} left.`,
      action: 'View the balance and statement',
      outro: 'Contact us to buy more Flex hours.',
    }),
  },
  'inbound-refused': {
    fr: (p) => ({
      subject: `Votre e-mail n’a pas pu être pris en compte : ${p.subject}`,
      intro: `Nous n’avons pas pu ajouter votre e-mail « ${p.subject} » à une demande : il a été envoyé depuis une adresse qui ne peut pas écrire sur cette demande. Écrivez depuis l’adresse de votre compte, ou répondez sur le portail.`,
      action: 'Ouvrir le portail',
      outro: 'Ce message est automatique ; il n’est envoyé qu’une fois par heure au plus.',
    }),
    de: (p) => ({
      subject: `Ihre E-Mail konnte nicht übernommen werden: ${p.subject}`,
      intro: `Wir konnten Ihre E-Mail «${p.subject}» keiner Anfrage hinzufügen: Sie wurde von einer Adresse gesendet, die zu dieser Anfrage nicht schreiben darf. Schreiben Sie von der Adresse Ihres Kontos oder antworten Sie im Portal.`,
      action: 'Portal öffnen',
      outro: 'Diese Nachricht ist automatisch; sie wird höchstens einmal pro Stunde gesendet.',
    }),
    en: (p) => ({
      subject: `Your e-mail could not be taken: ${p.subject}`,
      intro: `We could not add your e-mail “${p.subject}” to a request: it was sent from an address that may not write on that request. Please write from your account's address, or reply on the portal.`,
      action: 'Open the portal',
      outro: 'This message is automatic; it is sent at most once an hour.',
    }),
  },
  'inbound-attachments-refused': {
    fr: (p) => ({
      subject: `[${p.key}] Pièces jointes non acceptées`,
      intro: `Votre e-mail a été ajouté à la demande ${p.key}, mais pas ces pièces jointes : ${p.files}. Un fichier doit faire au plus ${p.maxMb} Mo et être d’un type accepté (images, PDF, documents bureautiques, texte, archives).`,
      action: 'Ajouter les fichiers sur le portail',
      outro: '',
    }),
    de: (p) => ({
      subject: `[${p.key}] Anhänge nicht angenommen`,
      intro: `Ihre E-Mail wurde der Anfrage ${p.key} hinzugefügt, diese Anhänge jedoch nicht: ${p.files}. Eine Datei darf höchstens ${p.maxMb} MB groß sein und muss einen angenommenen Typ haben (Bilder, PDF, Office-Dokumente, Text, Archive).`,
      action: 'Dateien im Portal hinzufügen',
      outro: '',
    }),
    en: (p) => ({
      subject: `[${p.key}] Attachments not accepted`,
      intro: `Your e-mail was added to request ${p.key}, but these attachments were not: ${p.files}. A file must be at most ${p.maxMb} MB and of an accepted type (images, PDF, office documents, text, archives).`,
      action: 'Add the files on the portal',
      outro: '',
    }),
  },
  'webhook-disabled': {
    fr: (p) => ({
      subject: `Webhook désactivé : ${p.endpoint}`,
      intro: `Le webhook ${p.description ? `« ${p.description} » ` : ''}vers ${p.endpoint} a échoué ${p.failures} fois de suite : il a été désactivé. Les événements suivants ne lui sont plus envoyés.`,
      action: 'Voir le journal des envois',
      outro: 'Corrigez le destinataire, puis réactivez le webhook ; les envois en attente repartiront.',
    }),
    de: (p) => ({
      subject: `Webhook deaktiviert: ${p.endpoint}`,
      intro: `Der Webhook ${p.description ? `«${p.description}» ` : ''}an ${p.endpoint} ist ${p.failures}-mal in Folge fehlgeschlagen und wurde deaktiviert. Weitere Ereignisse werden ihm nicht mehr gesendet.`,
      action: 'Zustellprotokoll ansehen',
      outro: 'Beheben Sie das Problem beim Empfänger und aktivieren Sie den Webhook wieder; wartende Zustellungen werden dann gesendet.',
    }),
    en: (p) => ({
      subject: `Webhook disabled: ${p.endpoint}`,
      intro: `The webhook ${p.description ? `“${p.description}” ` : ''}to ${p.endpoint} failed ${p.failures} times in a row: it has been disabled. Further events are no longer sent to it.`,
      action: 'View the delivery log',
      outro: 'Fix the receiver, then enable the webhook again; pending deliveries will then go out.',
    }),
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A quoted text as plain text: its label, then the text read from its Markdown, each line after "> ". */
const detailText = (d: Detail) =>
  [d.label, markdownToText(d.markdown)]
    .filter(Boolean)
    .join(' ')
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');

/** A quoted text as HTML: its label escaped (template copy), then the Markdown rendered and sanitized. */
const detailHtml = (d: Detail) =>
  `${d.label ? `<p style="margin:0 0 4px;font-weight:600">${escapeHtml(d.label)}</p>` : ''}<div>${markdownToHtml(d.markdown)}</div>`;

export type RenderedMail = { subject: string; text: string; html: string };

/** The subject alone (an in-app notification's title), without rendering the message. */
export function mailSubject<T extends MailTemplate>(template: T, language: Language, params: MailTemplates[T]): string {
  return (copy[template][language] as (p: MailTemplates[T]) => Copy)(params).subject;
}

/**
 * Renders a template in the recipient's language, as HTML with a plain-text part. The template's
 * own copy (names, summaries and other parameters included) is escaped; only the quoted texts
 * people wrote in Markdown are rendered, sanitized, as HTML.
 */
export function renderMail<T extends MailTemplate>(template: T, language: Language, params: MailTemplates[T]): RenderedMail {
  const c = (copy[template][language] as (p: MailTemplates[T]) => Copy)(params);
  const url = (params as { url: string }).url;
  const details = c.details ?? [];
  const text = [c.intro, ...details.map(detailText), `${c.action}: ${url}`, c.outro, '-- \nGuichet\n'].filter(Boolean).join('\n\n');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1b1e">
<p>${escapeHtml(c.intro)}</p>
${details.map((d) => `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #ced4da;color:#333">${detailHtml(d)}</blockquote>`).join('\n')}
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#1c7ed6;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(c.action)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(url)}</p>
${c.outro ? `<p style="font-size:13px;color:#555">${escapeHtml(c.outro)}</p>` : ''}
<p style="font-size:12px;color:#888">Guichet</p>
</body></html>`;
  return { subject: c.subject, text, html };
}
