import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app.ts';
import { account, organization, organizationDomain, user } from '../db/schema.ts';
import type { Language, Role } from '#shared/domain.ts';

export const DEMO_PASSWORD = 'Demo-password-2026';

type DemoUser = { name: string; email: string; role: Role; language: Language; org?: 'alpina' | 'helvetia' };

export const DEMO_USERS: DemoUser[] = [
  { name: 'Claire Dubois', email: 'claire.dubois@alpina-industrie.ch', role: 'customer', language: 'fr', org: 'alpina' },
  { name: 'Jonas Meier', email: 'jonas.meier@helvetia-logistik.ch', role: 'customer', language: 'de', org: 'helvetia' },
  { name: 'Sophie Martin', email: 'agent@guichet.demo', role: 'agent', language: 'fr' },
  { name: 'Admin Guichet', email: 'admin@guichet.demo', role: 'admin', language: 'en' },
];

/** Loads the demo data into an empty database. Returns false (and changes nothing) when users exist. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  const [{ count } = { count: 0 }] = await ctx.db.select({ count: sql<number>`count(*)::int` }).from(user);
  if (count > 0) return false;
  const hash = await (await ctx.auth.$context).password.hash(DEMO_PASSWORD);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [alpina] = await tx.insert(organization).values({ name: 'Alpina Industrie SA' }).returning();
    const [helvetia] = await tx.insert(organization).values({ name: 'Helvetia Logistik AG' }).returning();
    await tx.insert(organizationDomain).values([
      { domain: 'alpina-industrie.ch', organizationId: alpina!.id },
      { domain: 'helvetia-logistik.ch', organizationId: helvetia!.id },
    ]);
    const orgs = { alpina: alpina!.id, helvetia: helvetia!.id };
    for (const u of DEMO_USERS) {
      const id = randomUUID();
      await tx.insert(user).values({
        id,
        name: u.name,
        email: u.email,
        emailVerified: true,
        role: u.role,
        language: u.language,
        organizationId: u.org ? orgs[u.org] : null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(account).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash, createdAt: now, updatedAt: now });
    }
  });
  return true;
}
