import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { createServiceUserSchema, ServiceUser } from '#shared/api-tokens-api.ts';
import { DEFAULT_LANGUAGE } from '#shared/domain.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { user } from '../../db/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getServiceUser } from './list-service-users.ts';

/**
 * A service account: a `user` row marked is_service, acting only through its tokens. It has no
 * password (no credential account), an address that cannot receive mail (`.invalid`, RFC 2606), and
 * better-auth refuses to open a session for it (auth.ts); it is deactivated like anyone else.
 */
export async function createServiceUser(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; input: z.output<typeof createServiceUserSchema> },
): Promise<ServiceUser> {
  const { db, clock } = deps;
  const now = clock.now();
  const id = randomUUID();
  return db.transaction(async (tx) => {
    await tx.insert(user).values({
      id,
      name: options.input.name,
      email: `service-${id}@service.invalid`,
      emailVerified: false,
      role: options.input.role,
      language: DEFAULT_LANGUAGE,
      isService: true,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'user.service_created',
      targetType: 'user',
      targetId: id,
      details: { name: options.input.name, role: options.input.role },
    });
    return getServiceUser(tx, id, now);
  });
}

export const isServiceUser = async (db: Db, id: string) =>
  (await db.select({ isService: user.isService }).from(user).where(eq(user.id, id)))[0]?.isService === true;
