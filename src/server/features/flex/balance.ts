import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FlexSummary } from '#shared/flex-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, requestType, ticket } from '../../db/schema.ts';
import { flexLedgerEntry, flexPurchase, timeEntry } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { contractOf } from '../organizations/contract-settings.ts';
import { isFlexContractActive } from '../organizations/flex-contract.ts';

/**
 * The Flex balance (DESIGN.md §2) is never stored: purchases minus the ledger, both append-only,
 * so it always adds up. Sums are bigint in PostgreSQL; they come back as text and are read as integers.
 */
export async function balanceOf(db: DbOrTx, organizationId: string): Promise<{ purchasedMinutes: number; billedMinutes: number; balanceMinutes: number }> {
  const [row] = await db
    .select({
      purchased: sql<string>`coalesce((select sum(${flexPurchase.minutes}) from ${flexPurchase} where ${flexPurchase.organizationId} = ${organizationId}), 0)`,
      billed: sql<string>`coalesce((select sum(${flexLedgerEntry.minutes}) from ${flexLedgerEntry} where ${flexLedgerEntry.organizationId} = ${organizationId}), 0)`,
    })
    .from(sql`(select 1) as one`);
  const purchasedMinutes = Number(row!.purchased);
  const billedMinutes = Number(row!.billed);
  return { purchasedMinutes, billedMinutes, balanceMinutes: purchasedMinutes - billedMinutes };
}

/** Billable time on Solva Flex requests (request types that require the Flex contract) that no run has billed yet. */
export async function unbilledMinutesOf(db: DbOrTx, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: sql<string>`coalesce(sum(${timeEntry.minutes}), 0)` })
    .from(timeEntry)
    .innerJoin(ticket, eq(ticket.id, timeEntry.ticketId))
    .innerJoin(requestType, eq(requestType.id, ticket.requestTypeId))
    .where(
      and(eq(timeEntry.organizationId, organizationId), eq(timeEntry.billable, true), isNull(timeEntry.billedAt), eq(requestType.requiresFlexContract, true)),
    );
  return Number(row!.minutes);
}

export const isBelowThreshold = (balanceMinutes: number, thresholdMinutes: number) => balanceMinutes < thresholdMinutes;

export async function flexSummary(db: DbOrTx, organizationId: string, today: string): Promise<FlexSummary> {
  const [org] = await db.select({ name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  if (!org) throw notFound('organization');
  const [balance, unbilledMinutes, contract, contractActive] = [
    await balanceOf(db, organizationId),
    await unbilledMinutesOf(db, organizationId),
    await contractOf(db, organizationId),
    await isFlexContractActive(db, organizationId, today),
  ];
  return {
    organizationId,
    organizationName: org.name,
    contractActive,
    ...balance,
    unbilledMinutes,
    lowBalanceThresholdMinutes: contract.lowBalanceThresholdMinutes,
    belowThreshold: isBelowThreshold(balance.balanceMinutes, contract.lowBalanceThresholdMinutes),
    zeroBalancePolicy: contract.zeroBalancePolicy,
  };
}
