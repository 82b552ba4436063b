import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/test-app.ts';
import { violatedConstraint } from './pg-errors.ts';
import { desk, organization, requestType, ticket, user } from './schema.ts';

/*
 * The enum-like text columns hold only the values of the shared lists (STATUSES, CRITICALITIES,
 * ROLES, LANGUAGES, …): Drizzle's types say so (the @ts-expect-error lines fail to compile once a
 * column takes any string again) and the database refuses anything else (a CHECK per column).
 */

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
  await database?.drop();
});

/** The CHECK constraint (SQLSTATE 23514) a statement broke, or what it did instead. */
async function refusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
      if ((e as { code?: unknown }).code === '23514') return violatedConstraint(error) ?? 'a check violation without a name';
    }
    throw error;
  }
  return 'accepted';
}

const newUser = () => ({ id: randomUUID(), name: 'Typed Columns', email: `typed-${randomUUID()}@example.com` });

async function newTicket() {
  const [org] = await db().insert(organization).values({ name: 'Typed columns' }).returning();
  const u = newUser();
  await db()
    .insert(user)
    .values({ ...u, organizationId: org!.id });
  const prefix = `T${randomUUID().slice(0, 6).toUpperCase()}`;
  const names = { fr: 'Typé', de: 'Typisiert', en: 'Typed' };
  const [d] = await db().insert(desk).values({ slug: prefix.toLowerCase(), keyPrefix: prefix, names, descriptions: names }).returning();
  const [type] = await db().insert(requestType).values({ deskId: d!.id, slug: 'typed', names, descriptions: names }).returning();
  const now = new Date();
  const [t] = await db()
    .insert(ticket)
    .values({
      key: `${prefix}-1`,
      deskId: d!.id,
      requestTypeId: type!.id,
      organizationId: org!.id,
      reporterId: u.id,
      createdById: u.id,
      summary: 'Typed',
      description: 'Typed',
      criticality: 'high',
      status: 'open',
      createdAt: now,
      updatedAt: now,
      customerUpdatedAt: now,
      statusChangedAt: now,
    })
    .returning();
  return t!;
}

describe('typed columns', () => {
  it('refuses a role or a language outside the shared lists, and keeps the valid ones', async () => {
    const badRole = db()
      .insert(user)
      // @ts-expect-error: a role outside ROLES
      .values({ ...newUser(), role: 'superuser' });
    expect(await refusal(badRole)).toBe('user_role_check');
    const badLanguage = db()
      .insert(user)
      // @ts-expect-error: a language outside LANGUAGES
      .values({ ...newUser(), language: 'it' });
    expect(await refusal(badLanguage)).toBe('user_language_check');
    expect(
      await refusal(
        db().execute(
          sql`insert into "user" (id, name, email, role, language) values (${randomUUID()}, 'Raw', ${`raw-${randomUUID()}@example.com`}, 'root', 'fr')`,
        ),
      ),
    ).toBe('user_role_check');

    const valid = newUser();
    expect(
      await refusal(
        db()
          .insert(user)
          .values({ ...valid, role: 'agent', language: 'de' }),
      ),
    ).toBe('accepted');
    const [row] = await db().select({ role: user.role, language: user.language }).from(user).where(eq(user.id, valid.id));
    expect(row).toEqual({ role: 'agent', language: 'de' });
  });

  it('refuses a status or a criticality outside the shared lists', async () => {
    const t = await newTicket();
    // @ts-expect-error: a status outside STATUSES
    expect(await refusal(db().update(ticket).set({ status: 'archived' }).where(eq(ticket.id, t.id)))).toBe('ticket_status_check');
    // @ts-expect-error: a criticality outside CRITICALITIES
    expect(await refusal(db().update(ticket).set({ criticality: 'urgent' }).where(eq(ticket.id, t.id)))).toBe('ticket_criticality_check');
    expect(await refusal(db().execute(sql`update ticket set status = 'Closed' where id = ${t.id}`))).toBe('ticket_status_check');

    expect(await refusal(db().update(ticket).set({ status: 'canceled', criticality: 'low' }).where(eq(ticket.id, t.id)))).toBe('accepted');
    const [row] = await db()
      .select({ status: ticket.status, criticality: ticket.criticality, rank: ticket.criticalityRank })
      .from(ticket)
      .where(eq(ticket.id, t.id));
    expect(row).toEqual({ status: 'canceled', criticality: 'low', rank: 1 });
  });
});
