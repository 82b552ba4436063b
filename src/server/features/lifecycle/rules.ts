import { asc, eq } from 'drizzle-orm';
import type { DeskLifecycleRules, LifecycleRulesInput } from '#shared/lifecycle-api.ts';
import type { Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk } from '../../db/schema.ts';
import { lifecycleRule } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

export type LifecycleRules = LifecycleRulesInput;

/** DESIGN.md §2: reminders after 5 and 10 business days of waiting, resolution after 15, closure 10 calendar days after resolution. */
export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = { firstReminderDays: 5, secondReminderDays: 10, resolveDays: 15, closeDays: 10 };

/** The rules of a desk, or the defaults. */
export async function loadRules(db: DbOrTx, deskId: string): Promise<LifecycleRules> {
  const [row] = await db.select().from(lifecycleRule).where(eq(lifecycleRule.deskId, deskId));
  return row ? pick(row) : DEFAULT_LIFECYCLE_RULES;
}

const pick = (r: LifecycleRules): LifecycleRules => ({
  firstReminderDays: r.firstReminderDays,
  secondReminderDays: r.secondReminderDays,
  resolveDays: r.resolveDays,
  closeDays: r.closeDays,
});

/** The steps must come in order: first reminder, second reminder, automatic resolution. Zod has refused zero and negative delays. */
export function assertRulesInOrder(rules: LifecycleRules): void {
  if (rules.secondReminderDays <= rules.firstReminderDays) {
    throw new AppError(400, 'lifecycle.reminders_out_of_order', 'The second reminder must come after the first.', 'secondReminderDays');
  }
  if (rules.resolveDays <= rules.secondReminderDays) {
    throw new AppError(400, 'lifecycle.resolution_before_reminder', 'The automatic resolution must come after the second reminder.', 'resolveDays');
  }
}

export async function listRules(db: DbOrTx, language: Language): Promise<DeskLifecycleRules[]> {
  const rows = await db
    .select({ deskId: desk.id, names: desk.names, rule: lifecycleRule })
    .from(desk)
    .leftJoin(lifecycleRule, eq(lifecycleRule.deskId, desk.id))
    .orderBy(asc(desk.position), asc(desk.slug));
  return rows.map((r) => ({ deskId: r.deskId, deskName: r.names[language], isDefault: !r.rule, ...(r.rule ? pick(r.rule) : DEFAULT_LIFECYCLE_RULES) }));
}
