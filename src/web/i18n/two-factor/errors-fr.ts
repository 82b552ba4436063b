import type { securityErrorsEn, twoFactorAuthErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const twoFactorAuthErrorsFr: Widen<typeof twoFactorAuthErrorsEn> = {
  invalid_code: 'Ce code n’est pas le bon. Saisissez le code que l’application affiche maintenant.',
  invalid_backup_code: 'Ce code de secours n’est pas le bon, ou il a déjà servi.',
  totp_already_enabled: 'L’authentification à deux facteurs est déjà activée.',
  totp_not_enabled: 'L’authentification à deux facteurs n’est pas configurée pour ce compte.',
  two_factor_not_enabled: 'L’authentification à deux facteurs n’est pas activée.',
  backup_codes_not_enabled: 'Ce compte n’a pas de codes de secours.',
  invalid_two_factor_cookie: 'Cette connexion a expiré. Veuillez saisir à nouveau votre mot de passe.',
  too_many_attempts_request_new_code: 'Trop de codes erronés. Veuillez saisir à nouveau votre mot de passe.',
  two_factor_required: 'Votre administrateur exige l’authentification à deux facteurs : veuillez d’abord la configurer.',
  two_factor_enforced: 'Votre administrateur exige l’authentification à deux facteurs : elle ne peut pas être désactivée.',
};

export const securityErrorsFr: Widen<typeof securityErrorsEn> = {
  security: { enroll_first: 'Activez d’abord l’authentification à deux facteurs pour votre propre compte (dans votre profil).' },
};
