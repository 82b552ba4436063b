import { and, asc, eq } from 'drizzle-orm';
import type { PortalCatalog } from '#shared/catalog-api.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, requestType } from '../../db/schema.ts';
import { AppError, badRequest, forbidden } from '../../errors.ts';
import type { SessionUser } from '../../http/access.ts';
import { can } from '../../policies/can.ts';
import { isCustomerServices } from '../../policies/accounts.ts';
import { localize, requestTypeUnavailability, unavailableText } from './catalog-rules.ts';
import { organizationNamedIn } from '../organizations/organization-rules.ts';
import { isFlexContractActive } from '../organizations/flex-contract.ts';
import { businessToday } from '../calendar/business-day.ts';
import { activeProjectsOf } from '../projects/list-projects.ts';

/** Whose catalogue: a customer's own organization; staff (opening a request on a customer's behalf) name one. */
async function catalogOrganization(db: DbOrTx, viewer: SessionUser, requested: string | undefined): Promise<string> {
  if (!can(viewer, 'readAllOrganizations')) {
    if (!viewer.organizationId) {
      throw forbidden('organization.required', 'An administrator must attach your account to your organization first.');
    }
    if (requested !== undefined && requested !== viewer.organizationId) {
      throw new AppError(400, 'catalog.organization_not_allowed', 'You can only see the catalogue of your own organization.', 'organizationId');
    }
    return viewer.organizationId;
  }
  if (requested === undefined) {
    throw badRequest('catalog.organization_required', 'organizationId: name the organization whose catalogue you want.', 'organizationId');
  }
  return (await organizationNamedIn(db, requested)).id;
}

/**
 * The desks and request types open to an organization today, in the viewer's language: only
 * active desks with at least one active request type; a type needing what the organization
 * lacks (an active Flex contract) is listed as unavailable, with the reason.
 */
export async function getPortalCatalog(
  deps: { db: DbOrTx; clock: Clock },
  options: { viewer: SessionUser; organizationId?: string | undefined },
): Promise<PortalCatalog> {
  const { db, clock } = deps;
  const { viewer } = options;
  const organizationId = await catalogOrganization(db, viewer, options.organizationId);
  const language = viewer.language;
  const audience = isCustomerServices(viewer) ? 'staff' : 'customer';

  const flexContractActive = await isFlexContractActive(db, organizationId, await businessToday(db, clock));
  const rows = await db
    .select({
      deskId: desk.id,
      deskSlug: desk.slug,
      deskNames: desk.names,
      deskDescriptions: desk.descriptions,
      id: requestType.id,
      slug: requestType.slug,
      names: requestType.names,
      descriptions: requestType.descriptions,
      underSla: requestType.underSla,
      requiresProject: requestType.requiresProject,
      requiresFlexContract: requestType.requiresFlexContract,
    })
    .from(requestType)
    .innerJoin(desk, eq(desk.id, requestType.deskId))
    .where(and(eq(desk.active, true), eq(requestType.active, true)))
    .orderBy(asc(desk.position), asc(desk.slug), asc(requestType.position), asc(requestType.slug));

  const desks: PortalCatalog['desks'] = [];
  for (const row of rows) {
    let entry = desks.at(-1);
    if (entry?.id !== row.deskId) {
      entry = {
        id: row.deskId,
        slug: row.deskSlug,
        name: localize(row.deskNames, language),
        description: localize(row.deskDescriptions, language),
        requestTypes: [],
      };
      desks.push(entry);
    }
    const reason = requestTypeUnavailability(row, { flexContractActive });
    entry.requestTypes.push({
      id: row.id,
      slug: row.slug,
      name: localize(row.names, language),
      description: localize(row.descriptions, language),
      underSla: row.underSla,
      requiresProject: row.requiresProject,
      requiresFlexContract: row.requiresFlexContract,
      available: reason === null,
      unavailableReason: reason === null ? null : unavailableText(reason, audience, language),
    });
  }

  return { desks, projects: await activeProjectsOf(db, organizationId), flexContractActive };
}
