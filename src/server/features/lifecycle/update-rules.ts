import { eq } from 'drizzle-orm';
import type { DeskLifecycleRules } from '#shared/lifecycle-api.ts';
import type { Language } from '#shared/domain.ts';
import type { AppContext } from '../../context.ts';
import { desk, lifecycleRule } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { calendarFor, loadCalendarConfig } from '../calendar/calendar-store.ts';
import { rescheduleDesk } from './countdown.ts';
import { assertRulesInOrder, listRules, loadRules, type LifecycleRules } from './rules.ts';

/**
 * New rules for a desk. The countdowns already running on its requests follow them at once, from
 * the instant each countdown started; steps already done are not done again.
 */
export async function updateRules(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  actor: { id: string; language: Language },
  deskId: string,
  input: LifecycleRules,
): Promise<DeskLifecycleRules> {
  assertRulesInOrder(input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [d] = await tx.select({ id: desk.id }).from(desk).where(eq(desk.id, deskId));
    if (!d) throw notFound('desk');
    const before = await loadRules(tx, deskId);
    await tx
      .insert(lifecycleRule)
      .values({ deskId, ...input, updatedAt: now, updatedById: actor.id })
      .onConflictDoUpdate({ target: lifecycleRule.deskId, set: { ...input, updatedAt: now, updatedById: actor.id } });
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'lifecycle.rules_changed',
      targetType: 'desk',
      targetId: deskId,
      details: { before, after: input },
    });
    await rescheduleDesk(tx, calendarFor(await loadCalendarConfig(tx)), deskId, input, now);
  });
  return (await listRules(ctx.db, actor.language)).find((r) => r.deskId === deskId)!;
}
