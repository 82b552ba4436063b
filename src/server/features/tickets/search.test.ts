import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { migrationsFolder } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { call, createUser, login, type TestApp, createTestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest } from '../../../../tests/support/ticket-fixtures.ts';
import { snippetHtml, textVector } from './search.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

type Item = { key: string; snippet?: string; updatedAt: string };
const post = (url: string, cookie: string, body: unknown) => call(t.app, { method: 'POST', url, cookie, body });
async function search(cookie: string, q: string, scope = 'desks') {
  const res = await call(t.app, { url: `/api/requests?scope=${scope}&q=${encodeURIComponent(q)}&limit=100`, cookie });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Item[];
}
const keys = (items: Item[]) => items.map((i) => i.key).sort();

/** A customer of the given language in an organization of their own. */
async function customerIn(language: 'fr' | 'de' | 'en') {
  const c = await customerOrg(t, { name: `Search ${language}` });
  const u = await createUser(t, { organizationId: c.org.id, language, name: `Writer ${language}` });
  return { ...c, writer: { ...u, cookie: await login(t, u.email) } };
}

describe('full-text search', () => {
  it('finds requests in French, German and English with stemming, each text in its author’s language', async () => {
    const agent = await agentOf(t, [ids.supportId], 'Search Agent');
    const fr = await customerIn('fr');
    const de = await customerIn('de');
    const en = await customerIn('en');
    const french = await openRequest(t, fr.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'La facture mensuelle ne sort plus',
      description: 'Depuis la mise à jour, l’impression de la facture échoue avec une erreur de connexion.',
    });
    const german = await openRequest(t, de.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'Lieferscheine werden nicht gedruckt',
      description: 'Beim Drucken der Rechnungen erscheint eine Fehlermeldung zur Datenbankverbindung.',
    });
    const english = await openRequest(t, en.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'Invoices are not printing',
      description: 'The nightly batch stopped printing invoices after the upgrade.',
    });

    // French: plural and singular, whatever the searcher's language (the agent is English-speaking).
    expect(keys(await search(agent.cookie, 'factures'))).toContain(french.key);
    expect(keys(await search(agent.cookie, 'Facture'))).toContain(french.key);
    expect(keys(await search(agent.cookie, 'impressions'))).toContain(french.key);
    // German: inflected forms.
    expect(keys(await search(agent.cookie, 'Rechnung'))).toContain(german.key);
    expect(keys(await search(agent.cookie, 'Lieferschein'))).toContain(german.key);
    // English.
    expect(keys(await search(agent.cookie, 'invoice printed'))).toContain(english.key);
    // A word of none of them finds none of them.
    const none = keys(await search(agent.cookie, 'zebrafish'));
    expect(none).not.toContain(french.key);
    // Several words: all of them must be there.
    const both = keys(await search(agent.cookie, 'facture connexion'));
    expect(both).toContain(french.key);
    expect(keys(await search(agent.cookie, 'facture zebrafish'))).not.toContain(french.key);

    // A reply in another language is indexed in its author's: a German agent answers a French request.
    const germanAgent = await agentOf(t, [ids.supportId], 'Deutscher Agent');
    await t.db.execute(`update "user" set language = 'de' where id = '${germanAgent.id}'`);
    const germanAgentCookie = await login(t, germanAgent.email);
    await post(`/api/requests/${french.key}/messages`, germanAgentCookie, { body: 'Wir prüfen die Druckeinstellungen der Zahlungserinnerungen.' });
    expect(keys(await search(agent.cookie, 'Zahlungserinnerung'))).toContain(french.key);
    // …and the customer finds it too: it is a public reply.
    expect(keys(await search(fr.writer.cookie, 'Zahlungserinnerung', 'mine'))).toEqual([french.key]);
  });

  it('never lets a customer find a request by the words of an internal note, nor see them in a snippet', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('fr');
    const { key } = await openRequest(t, c.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'Écran figé',
      description: 'Le poste de caisse se bloque.',
    });
    await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'Zanzibar imprimante : client sur un correctif non supporté', visibility: 'internal' });
    t.clock.advance(1000);
    await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'Pouvez-vous redémarrer l’imprimante ?' });

    // Agents find it by the note; the customer, reporter or colleague, does not.
    expect(keys(await search(agent.cookie, 'zanzibar'))).toEqual([key]);
    for (const cookie of [c.writer.cookie, c.colleague.cookie]) {
      expect(await search(cookie, 'zanzibar', 'organization')).toEqual([]);
      expect(await search(cookie, 'zanzibar', 'mine')).toEqual([]);
      expect(await search(cookie, 'correctif supporté', 'organization')).toEqual([]);
    }
    // A word in both: the customer finds the request, and the snippet is the public reply's.
    const agentHit = (await search(agent.cookie, 'imprimantes')).find((i) => i.key === key)!;
    expect(agentHit.snippet).toContain('Zanzibar');
    const [customerHit] = await search(c.writer.cookie, 'imprimantes', 'organization');
    expect(customerHit!.key).toBe(key);
    expect(customerHit!.snippet).toContain('<mark>imprimante</mark>');
    expect(customerHit!.snippet).not.toMatch(/zanzibar|correctif/i);
    // Another organization's customer finds nothing of it.
    const stranger = await customerIn('fr');
    expect(await search(stranger.writer.cookie, 'imprimante', 'organization')).toEqual([]);
  });

  it('highlights matches in a snippet that is safe HTML', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('en');
    const { key } = await openRequest(t, c.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'Script in the export',
      description: 'When stock < 0 the export shows <script>alert("x")</script> & <b>bold</b> before every warehouse line (a<b). \u0001fake\u0002 marks.',
    });
    const hit = (await search(agent.cookie, 'warehouses')).find((i) => i.key === key)!;
    expect(hit.snippet).toContain('<mark>warehouse</mark>');
    // Nothing but the marks is markup: every other < and > of the text is escaped.
    expect(hit.snippet!.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(hit.snippet).toContain('stock &lt; 0');
    // Only the server's own marks become <mark>: one opened, one closed.
    expect(hit.snippet!.match(/<mark>/g)).toHaveLength(1);
    expect(hit.snippet!.match(/<\/mark>/g)).toHaveLength(1);
    expect(snippetHtml('a <i>b</i> \u0001c\u0002 "d" \'e\'')).toBe('a &lt;i&gt;b&lt;/i&gt; <mark>c</mark> &quot;d&quot; &#39;e&#39;');
    // No search, no snippet.
    const list = await call(t.app, { url: '/api/requests?scope=desks&limit=5', cookie: agent.cookie });
    expect(list.json().items.every((i: Item) => i.snippet === undefined)).toBe(true);
  });

  it('orders results by last change, pages them, and finds a request by its key', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('en');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      created.push(
        (
          await openRequest(t, c.writer.cookie, {
            requestTypeId: ids.assistanceId,
            summary: `Reconciliation ${i}`,
            description: 'Bank reconciliation is off by a cent.',
          })
        ).key,
      );
    }
    t.clock.advance(1000);
    await post(`/api/requests/${created[1]}/messages`, agent.cookie, { body: 'Checking the rounding.' });
    const items = await search(agent.cookie, 'reconciliations');
    expect(items.slice(0, 5).map((i) => i.key)).toEqual([created[1], created[4], created[3], created[2], created[0]]);
    const page1 = (await call(t.app, { url: '/api/requests?scope=desks&q=reconciliation&limit=2', cookie: agent.cookie })).json();
    const page2 = (await call(t.app, { url: `/api/requests?scope=desks&q=reconciliation&limit=2&cursor=${page1.nextCursor}`, cookie: agent.cookie })).json();
    expect([...page1.items, ...page2.items].map((i: Item) => i.key)).toEqual([created[1], created[4], created[3], created[2]]);
    expect(keys(await search(agent.cookie, created[2]!.toLowerCase()))).toEqual([created[2]]);
  });

  it('pages a search across the last month, the last year and older requests, each exactly once, newest first', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('en');
    const now = t.clock.now();
    const day = 86_400_000;
    const keysByAge: string[] = [];
    // Created oldest first, so the newest comes out first.
    for (const age of [800, 400, 366, 40, 31, 29, 5, 0]) {
      t.clock.set(now.getTime() - age * day);
      keysByAge.unshift(
        (
          await openRequest(t, c.writer.cookie, {
            requestTypeId: ids.assistanceId,
            summary: `Kaleidoscope ${age}`,
            description: 'The kaleidoscope report is empty.',
          })
        ).key,
      );
    }
    t.clock.set(now);
    for (const limit of [1, 3, 100]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(t.app, {
          url: `/api/requests?scope=desks&q=kaleidoscopes&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          cookie: agent.cookie,
        });
        expect(res.statusCode, res.body).toBe(200);
        seen.push(...res.json().items.map((i: Item) => i.key));
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(keysByAge);
    }
  });

  it('gives requests written before search the vectors the write path gives (migration 0004)', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('de');
    const { key } = await openRequest(t, c.writer.cookie, {
      requestTypeId: ids.assistanceId,
      summary: 'Lagerbestände falsch',
      description: 'Die Inventur zeigt negative Bestände.',
    });
    await post(`/api/requests/${key}/messages`, agent.cookie, { body: 'Quokka: interner Hinweis zum Lager', visibility: 'internal' });
    await post(`/api/requests/${key}/messages`, c.writer.cookie, { body: 'Die Kormoranlisten fehlen ebenfalls.' });
    const [written] = await t.db.select({ pub: ticket.searchPublic, all: ticket.searchAll }).from(ticket).where(eq(ticket.key, key));
    await t.db.update(ticket).set({ searchPublic: sql`''::tsvector`, searchAll: sql`''::tsvector` }).where(eq(ticket.key, key));
    expect(await search(agent.cookie, 'Kormoranliste')).toEqual([]);

    const migration = readFileSync(path.join(migrationsFolder, '0004_workspace_search_data.sql'), 'utf8');
    await t.db.execute(sql.raw(migration.split('--> statement-breakpoint')[0]!));
    const [backfilled] = await t.db.select({ pub: ticket.searchPublic, all: ticket.searchAll }).from(ticket).where(eq(ticket.key, key));
    // The same lexemes as on write (positions may differ: texts are grouped by language).
    const lexemes = (v: string) => [...v.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
    expect(lexemes(backfilled!.pub)).toEqual(lexemes(written!.pub));
    expect(lexemes(backfilled!.all)).toEqual(lexemes(written!.all));
    expect(keys(await search(agent.cookie, 'Kormoranliste'))).toEqual([key]);
    expect(keys(await search(c.writer.cookie, 'Kormoranliste', 'organization'))).toEqual([key]);
    expect(keys(await search(agent.cookie, 'quokka'))).toEqual([key]);
    expect(await search(c.writer.cookie, 'quokka', 'organization')).toEqual([]);
  });

  it('keeps accepting replies when a request’s text outgrows what a vector holds (pasted logs)', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('en');
    const { key } = await openRequest(t, c.writer.cookie, { requestTypeId: ids.assistanceId, summary: 'Log dump', description: 'See the logs below.' });
    // ~4,500 distinct tokens per reply: twenty pass the 1 MB a tsvector holds (a 500 without the guard).
    const log = (n: number) =>
      Array.from({ length: 4500 }, (_, i) => `tok${n}x${i.toString(36)}`)
        .join(' ')
        .slice(0, 49_000);
    const vectorSize = async () =>
      (
        await t.db
          .select({ size: sql<number>`octet_length(${ticket.searchAll}::text)` })
          .from(ticket)
          .where(eq(ticket.key, key))
      )[0]!.size;
    // Eleven such replies came before (written straight into the vectors: the request's own replies
    // would take most of a minute on a busy machine): just under the guard's budget.
    const before = Array.from({ length: 11 }, (_, n) => log(n)).join(' ');
    await t.db
      .update(ticket)
      .set({ searchAll: textVector('en', before), searchPublic: textVector('en', before) })
      .where(eq(ticket.key, key));
    expect(await vectorSize()).toBeGreaterThan(800_000);
    expect(await vectorSize()).toBeLessThan(900_000);
    // Twelve more, through the API: without the guard the vector passes 1 MB by the ninth.
    for (let n = 11; n < 23; n++) {
      const res = await post(`/api/requests/${key}/messages`, n % 2 ? agent.cookie : c.writer.cookie, { body: log(n) });
      expect(res.statusCode, `reply ${n}: ${res.body.slice(0, 200)}`).toBe(201);
    }
    expect(await vectorSize()).toBeLessThan(1_000_000);
    expect(keys(await search(agent.cookie, 'tok0x1'))).toEqual([key]);
  });

  it('answers a query of stop words only, or of punctuation, with no results, and refuses one over 200 characters', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const c = await customerIn('fr');
    await openRequest(t, c.writer.cookie, { requestTypeId: ids.assistanceId, summary: 'Le module de paie', description: 'Les fiches de la paie de mars.' });
    // Stop words in one language may be words in another: none of these finds the French request.
    for (const q of ['le la de', 'the and of', 'der die das und', '"" - | ! & : * ( )', "'", '-']) {
      expect(await search(agent.cookie, q), q).toEqual([]);
      expect(await search(c.writer.cookie, q, 'organization'), q).toEqual([]);
    }
    const blank = await call(t.app, { url: '/api/requests?scope=organization&q=%20%20', cookie: c.writer.cookie });
    expect(blank.statusCode).toBe(200);
    expect(blank.json().items.length).toBeGreaterThan(0);
    const otherSort = await call(t.app, { url: '/api/requests?scope=desks&q=paie&sort=criticality', cookie: agent.cookie });
    expect(otherSort.statusCode).toBe(400);
    expect(otherSort.json().field).toBe('sort');
    const long = await call(t.app, { url: `/api/requests?scope=desks&q=${'paie '.repeat(41)}`, cookie: agent.cookie });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'validation.too_long', field: 'q', limit: 200 });
  });
});
