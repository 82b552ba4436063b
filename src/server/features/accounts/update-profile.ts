import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Me, updateProfileSchema } from '#shared/api.ts';
import { isSupportedTimeZone } from '#shared/time-zones.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, user } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { loadCalendarConfig } from '../calendar/calendar-store.ts';
import { twoFactorStatus } from '../two-factor/two-factor-policy.ts';

export async function getMe(db: DbOrTx, userId: string): Promise<Me> {
  const [row] = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      language: user.language,
      organizationId: organization.id,
      organizationName: organization.name,
      timeZone: user.timeZone,
    })
    .from(user)
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(user.id, userId));
  if (!row) throw notFound('user');
  const calendar = (await loadCalendarConfig(db)).timeZone;
  // A zone this runtime no longer knows (after an update of its time zone data) falls back to the calendar's.
  const chosen = row.timeZone !== null && isSupportedTimeZone(row.timeZone) ? row.timeZone : null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    language: row.language,
    organization: row.organizationId ? { id: row.organizationId, name: row.organizationName! } : null,
    timeZone: { effective: chosen ?? calendar, isDefault: chosen === null, calendar },
    twoFactor: await twoFactorStatus(db, userId),
  };
}

export async function updateProfile(db: DbOrTx, userId: string, changes: z.infer<typeof updateProfileSchema>, clock: Clock): Promise<Me> {
  if (changes.name !== undefined || changes.language !== undefined || changes.timeZone !== undefined) {
    await db
      .update(user)
      .set({ ...changes, updatedAt: clock.now() })
      .where(eq(user.id, userId));
  }
  return getMe(db, userId);
}
