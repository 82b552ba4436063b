import { and, eq } from 'drizzle-orm';
import type { LedgerEntry } from '#shared/flex-api.ts';
import type { AppContext } from '../../context.ts';
import { ticket } from '../../db/schema.ts';
import { flexLedgerEntry, flexLedgerLine, timeEntry } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { rearmLowBalanceWarning } from './run-billing.ts';

/**
 * A correction after billing (DESIGN.md §2): the billed time entry is never edited; a reversal
 * entry gives its minutes back to the balance, in the ledger, with the reason (Customer Services')
 * and, optionally, a note for the customer (the only one they read). Each entry is
 * reversed at most once (a unique index on its ledger lines says so). The agent then logs the right time anew.
 */
export async function reverseTimeEntry(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  /** reason: Customer Services' own; customerNote: what the customer reads (none without it). */
  options: { actorId: string; timeEntryId: string; reason: string; customerNote?: string | undefined },
): Promise<LedgerEntry> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [entry] = await tx.select().from(timeEntry).where(eq(timeEntry.id, options.timeEntryId)).for('update');
    if (!entry) throw new AppError(404, 'time_entry.not_found', 'This time entry does not exist.');
    if (!entry.billedAt) throw new AppError(409, 'time_entry.not_billed', 'This time is not billed: its author corrects it directly.');
    if (entry.reversedAt) throw new AppError(409, 'time_entry.already_reversed', 'This time entry is already reversed.');
    const [charge] = await tx
      .select({ minutes: flexLedgerLine.minutes })
      .from(flexLedgerLine)
      .where(and(eq(flexLedgerLine.timeEntryId, entry.id), eq(flexLedgerLine.kind, 'charge')));
    const minutes = -charge!.minutes;
    const [posted] = await tx
      .insert(flexLedgerEntry)
      .values({
        organizationId: entry.organizationId,
        ticketId: entry.ticketId,
        kind: 'reversal',
        minutes,
        note: options.reason,
        customerNote: options.customerNote ?? null,
        actorId: options.actorId,
        postedAt: now,
      })
      .returning();
    await tx.insert(flexLedgerLine).values({ ledgerEntryId: posted!.id, timeEntryId: entry.id, kind: 'reversal', minutes });
    await tx.update(timeEntry).set({ reversedAt: now }).where(eq(timeEntry.id, entry.id));
    await rearmLowBalanceWarning(tx, entry.organizationId);
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'flex.time_entry_reversed',
      targetType: 'time_entry',
      targetId: entry.id,
      details: { ledgerEntryId: posted!.id, minutes, reason: options.reason, customerNote: options.customerNote ?? null },
    });
    const [t] = await tx.select({ key: ticket.key, summary: ticket.summary }).from(ticket).where(eq(ticket.id, entry.ticketId));
    return {
      id: posted!.id,
      kind: 'reversal',
      minutes,
      postedAt: now.toISOString(),
      request: { key: t!.key, summary: t!.summary },
      billingRunId: null,
      note: options.reason,
      customerNote: options.customerNote ?? null,
      timeEntryIds: [entry.id],
    };
  });
}
