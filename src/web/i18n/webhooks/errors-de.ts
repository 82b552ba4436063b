import type { webhooksErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const webhooksErrorsDe: Widen<typeof webhooksErrorsEn> = {
  webhook: {
    not_found: 'Dieser Webhook existiert nicht.',
    url_refused: 'Diese URL wird abgelehnt: Nur https-URLs zu öffentlichen Adressen sind erlaubt, außer der Server erlaubt den Host.',
    desk_unknown: 'Dieser Desk existiert nicht.',
  },
  webhook_delivery: { not_found: 'Diese Zustellung existiert nicht.' },
};
