import type { DbOrTx } from '../../db/client.ts';
import { escalationContact, escalationLevel, type Localized } from '../../db/schema.ts';

const WHEN: Record<1 | 2 | 3, Localized> = {
  1: {
    fr: 'Pour toute demande : ouvrez-la sur le portail, ou appelez le Customer Services pendant les heures ouvrées.',
    de: 'Für jede Anfrage: Eröffnen Sie sie im Portal oder rufen Sie den Customer Services während der Geschäftszeiten an.',
    en: 'For any request: open it on the portal, or call Customer Services during business hours.',
  },
  2: {
    fr: 'Quand un délai de votre SLA est dépassé, ou si la qualification de votre demande ne vous convient pas.',
    de: 'Wenn eine Frist Ihres SLA überschritten ist oder die Qualifizierung Ihrer Anfrage Ihnen nicht passt.',
    en: 'When an SLA deadline is breached, or if you disagree with how your request was qualified.',
  },
  3: {
    fr: 'Quand le délai est dépassé du double, ou pour une situation critique qui n’a pas trouvé de réponse au niveau 2.',
    de: 'Wenn die Frist doppelt überschritten ist, oder bei einer kritischen Lage, die auf Stufe 2 keine Antwort gefunden hat.',
    en: 'When the deadline is breached twice over, or for a critical situation level 2 could not answer.',
  },
};

/** The demo's escalation matrix, the same for each desk given. */
export async function seedDemoEscalation(tx: DbOrTx, deskIds: string[]): Promise<void> {
  for (const deskId of deskIds) {
    await tx.insert(escalationLevel).values(([1, 2, 3] as const).map((level) => ({ deskId, level, whenToCall: WHEN[level] })));
    await tx.insert(escalationContact).values([
      {
        deskId,
        level: 1,
        position: 0,
        name: 'Customer Services',
        role: 'Customer Services',
        email: 'support@guichet.demo',
        phone: '+41 31 555 10 00',
        language: 'fr',
      },
      {
        deskId,
        level: 2,
        position: 0,
        name: 'Nadia Keller',
        role: 'Head of Customer Services',
        email: 'nadia.keller@guichet.demo',
        phone: '+41 31 555 10 20',
        language: 'de',
      },
      {
        deskId,
        level: 3,
        position: 0,
        name: 'Laurent Favre',
        role: 'Managing Director',
        email: 'laurent.favre@guichet.demo',
        phone: '+41 31 555 10 01',
        language: 'fr',
      },
    ]);
  }
}
