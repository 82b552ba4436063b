import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Me, updateProfileSchema } from '#shared/api.ts';
import type { Language, Role } from '#shared/domain.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, user } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';

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
    })
    .from(user)
    .leftJoin(organization, eq(organization.id, user.organizationId))
    .where(eq(user.id, userId));
  if (!row) throw notFound('user');
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    language: row.language as Language,
    organization: row.organizationId ? { id: row.organizationId, name: row.organizationName! } : null,
  };
}

export async function updateProfile(
  db: DbOrTx,
  userId: string,
  changes: z.infer<typeof updateProfileSchema>,
  clock: Clock,
): Promise<Me> {
  if (changes.name !== undefined || changes.language !== undefined) {
    await db
      .update(user)
      .set({ ...changes, updatedAt: clock.now() })
      .where(eq(user.id, userId));
  }
  return getMe(db, userId);
}
