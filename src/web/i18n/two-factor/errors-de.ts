import type { securityErrorsEn, twoFactorAuthErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const twoFactorAuthErrorsDe: Widen<typeof twoFactorAuthErrorsEn> = {
  invalid_code: 'Dieser Code ist nicht richtig. Geben Sie den Code ein, den die App jetzt anzeigt.',
  invalid_backup_code: 'Dieser Backup-Code ist nicht richtig oder wurde schon verwendet.',
  totp_already_enabled: 'Die Zwei-Faktor-Authentifizierung ist bereits eingeschaltet.',
  totp_not_enabled: 'Für dieses Konto ist keine Zwei-Faktor-Authentifizierung eingerichtet.',
  two_factor_not_enabled: 'Die Zwei-Faktor-Authentifizierung ist nicht eingeschaltet.',
  backup_codes_not_enabled: 'Dieses Konto hat keine Backup-Codes.',
  invalid_two_factor_cookie: 'Diese Anmeldung ist abgelaufen. Bitte geben Sie Ihr Passwort erneut ein.',
  too_many_attempts_request_new_code: 'Zu viele falsche Codes. Bitte geben Sie Ihr Passwort erneut ein.',
  two_factor_required: 'Ihr Administrator schreibt die Zwei-Faktor-Authentifizierung vor: Bitte richten Sie sie zuerst ein.',
  two_factor_enforced: 'Ihr Administrator schreibt die Zwei-Faktor-Authentifizierung vor: Sie kann nicht ausgeschaltet werden.',
};

export const securityErrorsDe: Widen<typeof securityErrorsEn> = {
  security: { enroll_first: 'Schalten Sie zuerst für Ihr eigenes Konto die Zwei-Faktor-Authentifizierung ein (in Ihrem Profil).' },
};
