/** The escalation matrix (DESIGN.md §2): administered per desk, public on the portal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog } from '../../../../tests/support/ticket-fixtures.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: { id: string; cookie: string };
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const api = (method: 'GET' | 'PUT', url: string, body?: unknown, cookie = admin.cookie) => call(t.app, { method, url, cookie, body });
const lastAudit = async (action: string) => (await t.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.at)).limit(1))[0]!;

describe('the escalation matrix', () => {
  it('is edited per desk by administrators and read by anyone', async () => {
    const empty = await api('GET', `/api/admin/escalation/${ids.supportId}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().levels.map((l: { level: number; contacts: unknown[] }) => [l.level, l.contacts.length])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);

    const body = {
      levels: [
        {
          level: 1,
          whenToCall: { fr: 'Toute demande', de: 'Jede Anfrage', en: 'Any request' },
          contacts: [{ name: 'Customer Services', role: 'Support', email: 'support@vendor.test', phone: '+41 31 555 10 00' }],
        },
        {
          level: 2,
          whenToCall: { fr: 'Délai dépassé', de: 'Frist überschritten', en: 'Deadline breached' },
          contacts: [{ name: 'Nadia Keller', role: 'Head of Customer Services', email: 'nadia@vendor.test', phone: '+41 31 555 10 20', language: 'de' }],
        },
        {
          level: 3,
          whenToCall: { fr: 'Double', de: 'Doppelt', en: 'Twice over' },
          contacts: [{ name: 'Laurent Favre', role: 'Managing Director', email: 'laurent@vendor.test', phone: '+41 31 555 10 01' }],
        },
      ],
    };
    const saved = await api('PUT', `/api/admin/escalation/${ids.supportId}`, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().levels[1]).toEqual({
      level: 2,
      whenToCall: body.levels[1]!.whenToCall,
      contacts: [{ ...body.levels[1]!.contacts[0], language: 'de' }],
    });
    expect(await lastAudit('escalation.matrix_changed')).toMatchObject({ action: 'escalation.matrix_changed', targetId: ids.supportId });

    const badEmail = structuredClone(body);
    badEmail.levels[2]!.contacts[0]!.email = 'not-an-address';
    const refused = await api('PUT', `/api/admin/escalation/${ids.supportId}`, badEmail);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().field).toBe('levels.2.contacts.0.email');
    const swapped = { levels: [body.levels[1], body.levels[0], body.levels[2]] };
    expect((await api('PUT', `/api/admin/escalation/${ids.supportId}`, swapped)).json().field).toBe('levels.0.level');

    const pub = await call(t.app, { url: '/api/escalation' });
    expect(pub.statusCode).toBe(200);
    const support = pub.json().items.find((m: { deskId: string }) => m.deskId === ids.supportId);
    expect(support.deskNames.en).toBe('Support');
    expect(support.levels[2].contacts[0]).toMatchObject({ name: 'Laurent Favre', phone: '+41 31 555 10 01' });

    const unknownDesk = await api('GET', `/api/admin/escalation/00000000-0000-4000-8000-000000000000`);
    expect(unknownDesk.statusCode).toBe(404);
    const agent = await loginAs(t, 'agent');
    expect((await api('PUT', `/api/admin/escalation/${ids.supportId}`, body, agent.cookie)).statusCode).toBe(403);
  });
});
