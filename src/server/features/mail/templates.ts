import type { Language } from '#shared/domain.ts';

/** Every e-mail Guichet sends, with its parameters. */
export type MailTemplates = {
  'verify-email': { name: string; url: string };
  'reset-password': { name: string; url: string };
  invitation: { inviterName: string; organizationName: string | null; url: string };
};
export type MailTemplate = keyof MailTemplates;

type Copy = { subject: string; intro: string; action: string; outro: string };

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
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type RenderedMail = { subject: string; text: string; html: string };

/** Renders a template in the recipient's language, as HTML with a plain-text part. */
export function renderMail<T extends MailTemplate>(template: T, language: Language, params: MailTemplates[T]): RenderedMail {
  const c = (copy[template][language] as (p: MailTemplates[T]) => Copy)(params);
  const url = (params as { url: string }).url;
  const text = `${c.intro}\n\n${c.action}: ${url}\n\n${c.outro}\n\n-- \nGuichet\n`;
  const html = `<!doctype html><html lang="${language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1b1e">
<p>${escapeHtml(c.intro)}</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#1c7ed6;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(c.action)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(url)}</p>
<p style="font-size:13px;color:#555">${escapeHtml(c.outro)}</p>
<p style="font-size:12px;color:#888">Guichet</p>
</body></html>`;
  return { subject: c.subject, text, html };
}
