import type { jsmImportErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const jsmImportErrorsFr: Widen<typeof jsmImportErrorsEn> = {
  jsm_import: {
    site_invalid: 'Saisissez l’adresse d’un site Jira Service Management Cloud, par exemple https://votre-entreprise.atlassian.net.',
    auth_failed: 'JSM a refusé cette adresse e-mail et ce jeton d’API. Vérifiez-les, ainsi que l’accès du compte aux service desks.',
    unreachable: 'Le site JSM est injoignable. Vérifiez son adresse ou réessayez dans un instant.',
    busy: 'L’import est en cours : mettez-le en pause avant de le modifier ou de le relancer.',
    unmapped: 'Des éléments n’ont pas encore de correspondance : associez-les et enregistrez la correspondance avant de lancer l’import.',
    not_running: 'L’import n’est pas en cours : il n’y a rien à mettre en pause.',
    not_resumable: 'Seul un import en pause ou échoué peut être repris.',
    not_found: 'Cet import n’existe pas.',
  },
};
