import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { account, desk, deskMember, flexContractWindow, organization, organizationDomain, project, user } from '../db/schema.ts';
import { businessToday } from '../features/calendar/business-day.ts';
import { seedDemoEscalation } from '../features/escalation/demo-matrix.ts';
import { seedDemoFlex } from './demo-flex.ts';
import type { Language, Role } from '#shared/domain.ts';

export const DEMO_PASSWORD = 'Demo-password-2026';

type DemoOrganization = 'alpina' | 'helvetia';
/** Desks by the slugs of the base catalogue. */
type DemoDesk = 'support' | 'consulting';
type DemoUser = { name: string; email: string; role: Role; language: Language; org?: DemoOrganization; desk?: DemoDesk };

export const DEMO_USERS: DemoUser[] = [
  { name: 'Claire Dubois', email: 'claire.dubois@alpina-industrie.ch', role: 'customer', language: 'fr', org: 'alpina' },
  { name: 'Jonas Meier', email: 'jonas.meier@helvetia-logistik.ch', role: 'customer', language: 'de', org: 'helvetia' },
  { name: 'Sophie Martin', email: 'agent@guichet.demo', role: 'agent', language: 'fr', desk: 'support' },
  { name: 'Marc Rochat', email: 'consultant@guichet.demo', role: 'agent', language: 'fr', desk: 'consulting' },
  { name: 'Admin Guichet', email: 'admin@guichet.demo', role: 'admin', language: 'en' },
];

/** The desks' own e-mail addresses in the demo (mail sent there opens a request at the desk). */
export const DEMO_DESK_ADDRESSES: Record<DemoDesk, string> = {
  support: 'support@guichet.localhost',
  consulting: 'consulting@guichet.localhost',
};

/** Whether a demo account is in the database (so printing their logins helps). */
export async function hasDemoAccounts(db: AppContext['db']): Promise<boolean> {
  const [row] = await db
    .select({ id: user.id })
    .from(user)
    .where(
      inArray(
        user.email,
        DEMO_USERS.map((u) => u.email),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Loads the demo data into an empty database (after the base catalogue): two customer
 * organizations, Alpina with an ongoing project and a Flex contract valid this year and next,
 * Helvetia with neither; an agent and an e-mail address on each desk. Returns false (and changes nothing) when users exist.
 */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  const [{ count } = { count: 0 }] = await ctx.db.select({ count: sql<number>`count(*)::int` }).from(user);
  if (count > 0) return false;
  const hash = await (await ctx.auth.$context).password.hash(DEMO_PASSWORD);
  const now = ctx.clock.now();
  const year = Number((await businessToday(ctx.db, ctx.clock)).slice(0, 4));
  await ctx.db.transaction(async (tx) => {
    const [alpina] = await tx.insert(organization).values({ name: 'Alpina Industrie SA', createdAt: now, updatedAt: now }).returning();
    const [helvetia] = await tx.insert(organization).values({ name: 'Helvetia Logistik AG', createdAt: now, updatedAt: now }).returning();
    await tx.insert(organizationDomain).values([
      { domain: 'alpina-industrie.ch', organizationId: alpina!.id, createdAt: now },
      { domain: 'helvetia-logistik.ch', organizationId: helvetia!.id, createdAt: now },
    ]);
    const orgs: Record<DemoOrganization, string> = { alpina: alpina!.id, helvetia: helvetia!.id };
    const deskRows = await tx
      .select({ id: desk.id, slug: desk.slug })
      .from(desk)
      .where(inArray(desk.slug, ['support', 'consulting']));
    const desks = new Map(deskRows.map((d) => [d.slug, d.id]));
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
      await tx
        .insert(account)
        .values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash, createdAt: now, updatedAt: now });
      // An administrator renamed a base desk's slug before loading the demo: the agent simply has no desk.
      const deskId = u.desk ? desks.get(u.desk) : undefined;
      if (deskId) await tx.insert(deskMember).values({ deskId, userId: id, createdAt: now });
    }
    for (const [slug, address] of Object.entries(DEMO_DESK_ADDRESSES)) {
      const deskId = desks.get(slug);
      // An address an administrator already gave (to this desk or another) stays where it is.
      const [taken] = await tx.select({ id: desk.id }).from(desk).where(eq(desk.inboundAddress, address));
      if (deskId && !taken) {
        await tx
          .update(desk)
          .set({ inboundAddress: address, updatedAt: now })
          .where(and(eq(desk.id, deskId), isNull(desk.inboundAddress)));
      }
    }
    await tx
      .insert(project)
      .values({ organizationId: orgs.alpina, name: 'ERP migration 2027', code: 'ALP-MIG', status: 'active', createdAt: now, updatedAt: now });
    await tx.insert(flexContractWindow).values({ organizationId: orgs.alpina, startsOn: `${year}-01-01`, endsOn: `${year + 1}-12-31`, createdAt: now });
    await seedDemoEscalation(
      tx,
      deskRows.map((d) => d.id),
    );
  });
  await seedDemoFlex(ctx, { customer: 'claire.dubois@alpina-industrie.ch', agent: 'agent@guichet.demo', admin: 'admin@guichet.demo' });
  return true;
}
