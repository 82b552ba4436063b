import { asc, eq, or, sql } from 'drizzle-orm';
import type { FlexSummary } from '#shared/flex-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { flexContractWindow, organization, requestType, ticket } from '../../db/schema.ts';
import { flexLedgerEntry, flexPurchase, organizationContract, timeEntry } from '../../db/schema.ts';
import { isBelowThreshold } from './balance.ts';

/**
 * Every organization with a Flex contract, purchases or contract settings, with its balance: one
 * query (correlated sums over indexed columns), not one per organization.
 */
export async function listBalances(db: DbOrTx, today: string): Promise<FlexSummary[]> {
  const rows = await db
    .select({
      id: organization.id,
      name: organization.name,
      purchased: sql<string>`coalesce((select sum(p.minutes) from ${flexPurchase} p where p.organization_id = ${organization.id}), 0)`,
      billed: sql<string>`coalesce((select sum(l.minutes) from ${flexLedgerEntry} l where l.organization_id = ${organization.id}), 0)`,
      unbilled: sql<string>`coalesce((select sum(te.minutes) from ${timeEntry} te join ${ticket} t on t.id = te.ticket_id join ${requestType} rt on rt.id = t.request_type_id
        where te.organization_id = ${organization.id} and te.billable and te.billed_at is null and rt.requires_flex_contract), 0)`,
      active: sql<boolean>`exists(select 1 from ${flexContractWindow} w where w.organization_id = ${organization.id} and w.starts_on <= ${today} and w.ends_on >= ${today})`,
      threshold: sql<number>`coalesce(${organizationContract.lowBalanceThresholdMinutes}, 0)`,
      policy: sql<string>`coalesce(${organizationContract.zeroBalancePolicy}, 'warn')`,
    })
    .from(organization)
    .leftJoin(organizationContract, eq(organizationContract.organizationId, organization.id))
    .where(
      or(
        sql`exists(select 1 from ${flexContractWindow} w where w.organization_id = ${organization.id})`,
        sql`exists(select 1 from ${flexPurchase} p where p.organization_id = ${organization.id})`,
        sql`${organizationContract.organizationId} is not null`,
      ),
    )
    .orderBy(asc(organization.name), asc(organization.id));
  return rows.map((r) => {
    const purchasedMinutes = Number(r.purchased);
    const billedMinutes = Number(r.billed);
    const balanceMinutes = purchasedMinutes - billedMinutes;
    const threshold = Number(r.threshold);
    return {
      organizationId: r.id,
      organizationName: r.name,
      contractActive: r.active,
      purchasedMinutes,
      billedMinutes,
      balanceMinutes,
      unbilledMinutes: Number(r.unbilled),
      lowBalanceThresholdMinutes: threshold,
      belowThreshold: isBelowThreshold(balanceMinutes, threshold),
      zeroBalancePolicy: r.policy === 'refuse' ? 'refuse' : 'warn',
    };
  });
}
