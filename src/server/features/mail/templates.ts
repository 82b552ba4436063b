import type { Language } from '#shared/domain.ts';

/** Every e-mail Guichet sends, with its parameters. */
export type MailTemplates = {
  'verify-email': { name: string; url: string };
  'reset-password': { name: string; url: string };
  invitation: { inviterName: string; organizationName: string | null; url: string };
  'ticket-created': { key: string; summary: string; url: string; openedBy: string | null; criticality: string };
  'ticket-reply': { key: string; summary: string; url: string; authorName: string; body: string };
  'ticket-status': { key: string; summary: string; url: string; status: string };
  'ticket-criticality': { key: string; summary: string; url: string; from: string; to: string; reason: string | null; lowered: boolean };
  /** SLA (DESIGN.md §2): 75 % of a target, breach (escalation level 2), twice the target (level 3). `clock` and `deadline` are already in the recipient's language. */
  'sla-warning': SlaAlert;
  'sla-breach': SlaAlert;
  'sla-level3': SlaAlert;
};
type SlaAlert = { key: string; summary: string; url: string; clock: string; criticality: string; deadline: string; target: string };
export type MailTemplate = keyof MailTemplates;

/** `details` are quoted lines (a reply, a reason) shown between the introduction and the link. */
type Copy = { subject: string; intro: string; details?: string[]; action: string; outro: string };

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
      outro: "This link is valid for 24 hours and works once. If you did not sign up, ignore this message.",
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
      outro: 'Dieser Link ist eine Stunde gültig und nur einmal verwendbar. Alle Ihre Sitzungen werden beendet. Falls Sie nichts angefordert haben, ignorieren Sie diese Nachricht.',
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
      intro: p.openedBy
        ? `${p.openedBy}, du Customer Services, a ouvert la demande ${p.key} pour vous (criticité ${p.criticality}).`
        : `Nous avons bien reçu votre demande ${p.key} (criticité ${p.criticality}). Le Customer Services va la qualifier.`,
      action: 'Voir la demande',
      outro: 'Répondez depuis le portail pour compléter votre demande.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Anfrage erhalten: ${p.summary}`,
      intro: p.openedBy
        ? `${p.openedBy} vom Customer Services hat die Anfrage ${p.key} für Sie eröffnet (Kritikalität ${p.criticality}).`
        : `Wir haben Ihre Anfrage ${p.key} erhalten (Kritikalität ${p.criticality}). Der Customer Services wird sie qualifizieren.`,
      action: 'Anfrage ansehen',
      outro: 'Antworten Sie im Portal, um Ihre Anfrage zu ergänzen.',
    }),
    en: (p) => ({
      subject: `[${p.key}] Request received: ${p.summary}`,
      intro: p.openedBy
        ? `${p.openedBy} of Customer Services opened request ${p.key} on your behalf (criticality ${p.criticality}).`
        : `We have received your request ${p.key} (criticality ${p.criticality}). Customer Services will qualify it.`,
      action: 'View the request',
      outro: 'Reply on the portal to add to your request.',
    }),
  },
  'ticket-reply': {
    fr: (p) => ({ subject: `[${p.key}] Nouvelle réponse : ${p.summary}`, intro: `${p.authorName} a répondu à la demande ${p.key} :`, details: [p.body], action: 'Répondre sur le portail', outro: '' }),
    de: (p) => ({ subject: `[${p.key}] Neue Antwort: ${p.summary}`, intro: `${p.authorName} hat auf die Anfrage ${p.key} geantwortet:`, details: [p.body], action: 'Im Portal antworten', outro: '' }),
    en: (p) => ({ subject: `[${p.key}] New reply: ${p.summary}`, intro: `${p.authorName} replied to request ${p.key}:`, details: [p.body], action: 'Reply on the portal', outro: '' }),
  },
  'ticket-status': {
    fr: (p) => ({ subject: `[${p.key}] ${p.status} : ${p.summary}`, intro: `Le statut de la demande ${p.key} est maintenant « ${p.status} ».`, action: 'Voir la demande', outro: '' }),
    de: (p) => ({ subject: `[${p.key}] ${p.status}: ${p.summary}`, intro: `Der Status der Anfrage ${p.key} ist jetzt «${p.status}».`, action: 'Anfrage ansehen', outro: '' }),
    en: (p) => ({ subject: `[${p.key}] ${p.status}: ${p.summary}`, intro: `Request ${p.key} is now “${p.status}”.`, action: 'View the request', outro: '' }),
  },
  'ticket-criticality': {
    fr: (p) => ({
      subject: `[${p.key}] Criticité ${p.lowered ? 'abaissée' : 'modifiée'} : ${p.to}`,
      intro: `Le Customer Services a ${p.lowered ? 'abaissé' : 'modifié'} la criticité de la demande ${p.key} de « ${p.from} » à « ${p.to} ».`,
      details: p.reason ? [`Raison : ${p.reason}`] : [],
      action: 'Voir la demande',
      outro: 'Si cette criticité ne correspond pas à votre situation, répondez sur la demande.',
    }),
    de: (p) => ({
      subject: `[${p.key}] Kritikalität ${p.lowered ? 'herabgesetzt' : 'geändert'}: ${p.to}`,
      intro: `Der Customer Services hat die Kritikalität der Anfrage ${p.key} von «${p.from}» auf «${p.to}» ${p.lowered ? 'herabgesetzt' : 'geändert'}.`,
      details: p.reason ? [`Begründung: ${p.reason}`] : [],
      action: 'Anfrage ansehen',
      outro: 'Falls diese Kritikalität nicht Ihrer Lage entspricht, antworten Sie auf die Anfrage.',
    }),
    en: (p) => ({
      subject: `[${p.key}] Criticality ${p.lowered ? 'lowered' : 'changed'}: ${p.to}`,
      intro: `Customer Services ${p.lowered ? 'lowered' : 'changed'} the criticality of request ${p.key} from “${p.from}” to “${p.to}”.`,
      details: p.reason ? [`Reason: ${p.reason}`] : [],
      action: 'View the request',
      outro: 'If this criticality does not match your situation, reply on the request.',
    }),
  },
  'sla-warning': {
    fr: (p) => ({ subject: `[${p.key}] SLA à 75 % : ${p.clock}`, intro: `La demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a consommé 75 % de son délai de ${p.clock} (${p.target}). Échéance : ${p.deadline}.`, action: 'Traiter la demande', outro: '' }),
    de: (p) => ({ subject: `[${p.key}] SLA bei 75 %: ${p.clock}`, intro: `Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat 75 % ihrer Frist für ${p.clock} (${p.target}) verbraucht. Fällig: ${p.deadline}.`, action: 'Anfrage bearbeiten', outro: '' }),
    en: (p) => ({ subject: `[${p.key}] SLA at 75%: ${p.clock}`, intro: `Request ${p.key} “${p.summary}” (criticality ${p.criticality}) has used 75% of its ${p.clock} target (${p.target}). Due: ${p.deadline}.`, action: 'Handle the request', outro: '' }),
  },
  'sla-breach': {
    fr: (p) => ({ subject: `[${p.key}] SLA dépassé : ${p.clock}`, intro: `Escalade (niveau 2) : la demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a dépassé son délai de ${p.clock} (${p.target}), échu le ${p.deadline}.`, action: 'Voir la demande', outro: 'Vous recevez ce message comme contact de niveau 2 de la matrice d’escalade.' }),
    de: (p) => ({ subject: `[${p.key}] SLA überschritten: ${p.clock}`, intro: `Eskalation (Stufe 2): Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat ihre Frist für ${p.clock} (${p.target}) überschritten, fällig am ${p.deadline}.`, action: 'Anfrage ansehen', outro: 'Sie erhalten diese Nachricht als Kontakt der Stufe 2 der Eskalationsmatrix.' }),
    en: (p) => ({ subject: `[${p.key}] SLA breached: ${p.clock}`, intro: `Escalation (level 2): request ${p.key} “${p.summary}” (criticality ${p.criticality}) has breached its ${p.clock} target (${p.target}), due ${p.deadline}.`, action: 'View the request', outro: 'You receive this as a level 2 contact of the escalation matrix.' }),
  },
  'sla-level3': {
    fr: (p) => ({ subject: `[${p.key}] SLA dépassé du double : ${p.clock}`, intro: `Escalade (niveau 3) : la demande ${p.key} « ${p.summary} » (criticité ${p.criticality}) a atteint le double de son délai de ${p.clock} (${p.target}) ; l’échéance était le ${p.deadline}.`, action: 'Voir la demande', outro: 'Vous recevez ce message comme contact de niveau 3 de la matrice d’escalade.' }),
    de: (p) => ({ subject: `[${p.key}] SLA doppelt überschritten: ${p.clock}`, intro: `Eskalation (Stufe 3): Die Anfrage ${p.key} «${p.summary}» (Kritikalität ${p.criticality}) hat das Doppelte ihrer Frist für ${p.clock} (${p.target}) erreicht; fällig war sie am ${p.deadline}.`, action: 'Anfrage ansehen', outro: 'Sie erhalten diese Nachricht als Kontakt der Stufe 3 der Eskalationsmatrix.' }),
    en: (p) => ({ subject: `[${p.key}] SLA breached twice over: ${p.clock}`, intro: `Escalation (level 3): request ${p.key} “${p.summary}” (criticality ${p.criticality}) has reached twice its ${p.clock} target (${p.target}); it was due ${p.deadline}.`, action: 'View the request', outro: 'You receive this as a level 3 contact of the escalation matrix.' }),
  },
};

const escapeHtmlLines = (lines: string[]) => lines.map((l) => escapeHtml(l).replace(/\n/g, '<br>')).join('<br><br>');

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type RenderedMail = { subject: string; text: string; html: string };

/** Renders a template in the recipient's language, as HTML with a plain-text part. */
export function renderMail<T extends MailTemplate>(template: T, language: Language, params: MailTemplates[T]): RenderedMail {
  const c = (copy[template][language] as (p: MailTemplates[T]) => Copy)(params);
  const url = (params as { url: string }).url;
  const details = c.details ?? [];
  const quoted = details.map((d) => d.split('\n').map((l) => `> ${l}`).join('\n'));
  const text = [c.intro, ...quoted, `${c.action}: ${url}`, c.outro, '-- \nGuichet\n'].filter(Boolean).join('\n\n');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1b1e">
<p>${escapeHtml(c.intro)}</p>
${details.length ? `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #ced4da;color:#333">${escapeHtmlLines(details)}</blockquote>` : ''}
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#1c7ed6;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(c.action)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(url)}</p>
${c.outro ? `<p style="font-size:13px;color:#555">${escapeHtml(c.outro)}</p>` : ''}
<p style="font-size:12px;color:#888">Guichet</p>
</body></html>`;
  return { subject: c.subject, text, html };
}
