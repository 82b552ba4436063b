import { eq } from 'drizzle-orm';
import { EMAIL_CATEGORIES, type EmailCategory, type EmailPreferences } from '#shared/notifications-api.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { notificationPreference } from '../../db/schema.ts';
import type { Clock } from '../../clock.ts';

/** Every category with the user's choice; without a choice, the e-mail is sent. */
export async function getEmailPreferences(db: DbOrTx, userId: string): Promise<EmailPreferences> {
  const rows = await db
    .select({ category: notificationPreference.category, email: notificationPreference.email })
    .from(notificationPreference)
    .where(eq(notificationPreference.userId, userId));
  const chosen = new Map(rows.map((r) => [r.category, r.email]));
  return Object.fromEntries(EMAIL_CATEGORIES.map((c) => [c, chosen.get(c) ?? true])) as EmailPreferences;
}

/** Records the categories given (the others keep their choice), in one transaction. */
export async function updateEmailPreferences(
  ctx: { db: Db; clock: Clock },
  options: { userId: string; changes: Partial<Record<EmailCategory, boolean | undefined>> },
): Promise<EmailPreferences> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    for (const category of EMAIL_CATEGORIES) {
      const email = options.changes[category];
      if (email === undefined) continue;
      await tx
        .insert(notificationPreference)
        .values({ userId: options.userId, category, email, updatedAt: now })
        .onConflictDoUpdate({ target: [notificationPreference.userId, notificationPreference.category], set: { email, updatedAt: now } });
    }
  });
  return getEmailPreferences(ctx.db, options.userId);
}
