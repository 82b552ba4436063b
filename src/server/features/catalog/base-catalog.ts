import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { desk, requestType, type Localized } from '../../db/schema.ts';

type BaseRequestType = {
  slug: string;
  names: Localized;
  descriptions: Localized;
  underSla: boolean;
  requiresFlexContract: boolean;
  requiresProject: boolean;
};
type BaseDesk = {
  slug: string;
  keyPrefix: string;
  names: Localized;
  descriptions: Localized;
  coveredByMaintenance: boolean;
  requestTypes: BaseRequestType[];
};

/**
 * The desks and request types every installation starts with (DESIGN.md §1, after the vendor's
 * portal: "a malfunction of the standard product or a small evolution → Support; anything tied to
 * an ongoing project → Consulting"). Administrators may edit them afterwards.
 */
export const BASE_CATALOG: readonly BaseDesk[] = [
  {
    slug: 'support',
    keyPrefix: 'SUP',
    coveredByMaintenance: true,
    names: { fr: 'Support', de: 'Support', en: 'Support' },
    descriptions: {
      fr: 'Un dysfonctionnement du progiciel standard ou une demande de petite évolution : Customer Services qualifie votre demande et la traite dans les délais de votre SLA.',
      de: 'Eine Fehlfunktion der Standardsoftware oder der Wunsch nach einer kleinen Weiterentwicklung: Customer Services qualifiziert Ihre Anfrage und bearbeitet sie innerhalb der Fristen Ihres SLA.',
      en: 'A malfunction of the standard product or a request for a small evolution: Customer Services qualifies your request and handles it within the deadlines of your SLA.',
    },
    requestTypes: [
      {
        slug: 'assistance',
        names: { fr: 'Assistance', de: 'Assistance', en: 'Assistance' },
        descriptions: {
          fr: 'Le cas standard, à choisir dans la plupart des situations : un dysfonctionnement du progiciel standard ou une demande de petite évolution.',
          de: 'Der Standardfall und in den meisten Situationen die richtige Wahl: eine Fehlfunktion der Standardsoftware oder der Wunsch nach einer kleinen Weiterentwicklung.',
          en: 'The standard case, and the right choice most of the time: a malfunction of the standard product or a request for a small evolution.',
        },
        underSla: true,
        requiresFlexContract: false,
        requiresProject: false,
      },
      {
        slug: 'solva-flex',
        names: { fr: 'Solva Flex', de: 'Solva Flex', en: 'Solva Flex' },
        descriptions: {
          fr: 'Une évolution réalisée dans le cadre de votre contrat Flex : le temps consacré est facturé sur votre solde Flex. Disponible tant que le contrat Flex de votre organisation est actif.',
          de: 'Eine Weiterentwicklung im Rahmen Ihres Flex-Vertrags: Der Aufwand wird Ihrem Flex-Guthaben belastet. Verfügbar, solange der Flex-Vertrag Ihrer Organisation aktiv ist.',
          en: 'An evolution carried out under your Flex contract: the time spent is billed to your Flex balance. Available while your organization’s Flex contract is active.',
        },
        underSla: true,
        requiresFlexContract: true,
        requiresProject: false,
      },
    ],
  },
  {
    slug: 'consulting',
    keyPrefix: 'CON',
    coveredByMaintenance: false,
    names: { fr: 'Demandes Consulting', de: 'Consulting-Anfragen', en: 'Consulting requests' },
    descriptions: {
      fr: 'Tout ce qui est lié à un projet en cours : nos consultants traitent votre demande dans le cadre de ce projet.',
      de: 'Alles, was mit einem laufenden Projekt zusammenhängt: Unsere Consultants bearbeiten Ihre Anfrage im Rahmen dieses Projekts.',
      en: 'Anything tied to an ongoing project: our consultants handle your request as part of that project.',
    },
    requestTypes: [
      {
        slug: 'project-request',
        names: { fr: 'Demande de projet', de: 'Projektanfrage', en: 'Project request' },
        descriptions: {
          fr: 'Une question, une adaptation ou un problème lié à l’un de vos projets en cours : indiquez le projet concerné.',
          de: 'Eine Frage, eine Anpassung oder ein Problem im Zusammenhang mit einem Ihrer laufenden Projekte: Geben Sie das betroffene Projekt an.',
          en: 'A question, an adjustment or a problem tied to one of your ongoing projects: say which project it concerns.',
        },
        underSla: false,
        requiresFlexContract: false,
        requiresProject: true,
      },
    ],
  },
];

/** Held while the base catalogue is checked and written, so instances starting together insert it once. */
const BASE_CATALOG_LOCK = 4_202_612;

/**
 * Gives a new installation its desks and request types. Runs at every start; does nothing once any
 * desk exists (the catalogue is then the administrators'). Returns whether it inserted them.
 */
export async function ensureBaseCatalog(db: DbOrTx): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BASE_CATALOG_LOCK})`);
    const [existing] = await tx.select({ id: desk.id }).from(desk).limit(1);
    if (existing) return false;
    for (const [deskIndex, base] of BASE_CATALOG.entries()) {
      const [created] = await tx
        .insert(desk)
        .values({
          slug: base.slug,
          keyPrefix: base.keyPrefix,
          names: base.names,
          descriptions: base.descriptions,
          coveredByMaintenance: base.coveredByMaintenance,
          position: deskIndex * 10,
        })
        .returning({ id: desk.id });
      await tx.insert(requestType).values(
        base.requestTypes.map(({ slug, names, descriptions, underSla, requiresFlexContract, requiresProject }, typeIndex) => ({
          deskId: created!.id,
          slug,
          names,
          descriptions,
          underSla,
          requiresFlexContract,
          requiresProject,
          position: typeIndex * 10,
        })),
      );
    }
    return true;
  });
}
