import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Organization } from '#shared/api.ts';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { organization, organizationDomain, user } from '../../db/schema.ts';
import { containsPattern } from '../../db/search.ts';
import { notFound } from '../../errors.ts';
import { effectiveQuotaMb, storageUsedBytes } from '../attachments/storage-quota.ts';

/**
 * The outer organization's id, always qualified: in the select list of a one-table query Drizzle
 * writes bare column names, which inside the subqueries below would name the inner tables' columns.
 */
const outerId = sql`${organization}.${sql.identifier(organization.id.name)}`;

/** Organizations with their domains, user counts and storage used, aggregated in the same query. */
function selectOrganizations(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: organization.id,
      name: organization.name,
      ownRequestsOnly: organization.ownRequestsOnly,
      twoFactorRequired: organization.twoFactorRequired,
      createdAt: organization.createdAt,
      cursorAt: cursorAt(organization.createdAt),
      domains: sql<
        string[]
      >`coalesce((select array_agg(d.domain order by d.domain) from ${organizationDomain} d where d.organization_id = ${outerId}), '{}'::text[])`,
      userCount: sql<number>`(select count(*) from ${user} u where u.organization_id = ${outerId})::int`,
      storageQuotaMb: organization.storageQuotaMb,
      storageUsedBytes: storageUsedBytes(outerId),
    })
    .from(organization)
    .where(where);
}

type Row = Awaited<ReturnType<typeof selectOrganizations>>[number];

/** The setting a quota falls back to: the installation's (ORG_STORAGE_QUOTA_MB). */
export type StorageDefaults = Pick<Config, 'orgStorageQuotaMb'>;

const present = (row: Row, defaults: StorageDefaults): Organization => ({
  id: row.id,
  name: row.name,
  domains: row.domains,
  userCount: row.userCount,
  ownRequestsOnly: row.ownRequestsOnly,
  twoFactorRequired: row.twoFactorRequired,
  storage: {
    usedBytes: row.storageUsedBytes,
    quotaMb: row.storageQuotaMb,
    effectiveQuotaMb: effectiveQuotaMb(row.storageQuotaMb, defaults.orgStorageQuotaMb),
    defaultQuotaMb: defaults.orgStorageQuotaMb,
  },
  createdAt: row.createdAt.toISOString(),
});

export async function listOrganizations(db: DbOrTx, query: { cursor?: string | undefined; limit: number; q?: string | undefined }, defaults: StorageDefaults) {
  const filters: (SQL | undefined)[] = [afterCursor(query.cursor, organization.createdAt, organization.id)];
  if (query.q) {
    const pattern = containsPattern(query.q);
    filters.push(
      or(
        ilike(organization.name, pattern),
        sql`exists (select 1 from ${organizationDomain} d where d.organization_id = ${outerId} and d.domain ilike ${pattern})`,
      ),
    );
  }
  const rows = await selectOrganizations(db, and(...filters))
    .orderBy(...keysetOrder(organization.createdAt, organization.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (row) => present(row, defaults));
}

export async function getOrganization(db: DbOrTx, id: string, defaults: StorageDefaults): Promise<Organization> {
  const [row] = await selectOrganizations(db, eq(organization.id, id));
  if (!row) throw notFound('organization');
  return present(row, defaults);
}

/** Organizations by name, for agents choosing the customer they open a request for. */
export async function findOrganizations(db: DbOrTx, query: { q?: string | undefined; limit: number }) {
  return db
    .select({ id: organization.id, name: organization.name })
    .from(organization)
    .where(query.q ? ilike(organization.name, containsPattern(query.q)) : undefined)
    .orderBy(organization.name, organization.id)
    .limit(query.limit);
}
