import type { webhooksErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const webhooksErrorsFr: Widen<typeof webhooksErrorsEn> = {
  webhook: {
    not_found: 'Ce webhook n’existe pas.',
    url_refused: 'Cette URL est refusée : seules les URL https vers des adresses publiques sont acceptées, sauf si le serveur autorise l’hôte.',
    desk_unknown: 'Ce guichet n’existe pas.',
  },
  webhook_delivery: { not_found: 'Cet envoi n’existe pas.' },
};
