/**
 * Attaching an upload and sweeping it never meet half-way (PostgreSQL only: PGlite is one
 * connection, where nothing runs at the same time): an upload is either attached, its file in the
 * request's folder and served, or gone, row and file, its attachment refused as unknown — never a
 * 5xx, never an attached row without its file.
 */
import { existsSync } from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachment, organization } from '../../db/schema.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { catalog, customerOrg, openRequest, PNG, uploadFile } from '../../../../tests/support/ticket-fixtures.ts';
import { linkAttachments } from './link-attachments.ts';
import { attachFilesInTransaction, ticketFilePath, uploadPath } from './storage.ts';
import { sweepUploads, UPLOAD_KEEP_HOURS } from './sweep-uploads.job.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

const dayAndASecond = (UPLOAD_KEEP_HOURS * 3600 + 1) * 1000;
const upload = async (cookie: string, name: string) => {
  const res = await uploadFile(t, cookie, name, PNG, 'image/png');
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
/** Fails instead of hanging when `promise` waits on something that never comes. */
const within = <T>(ms: number, what: string, promise: Promise<T>) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))]);

describe('attaching an upload while the sweep runs (PostgreSQL)', () => {
  it('skips an upload an attaching transaction holds, without waiting for it, so the attachment gets its file', async () => {
    const c = await customerOrg(t);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const id = await upload(c.reporter.cookie, 'held.png');
    t.clock.advance(dayAndASecond);

    // The attaching transaction links the row, then the sweep runs, then the file is placed and the transaction commits.
    await attachFilesInTransaction(t.config.dataDir, [id], (place) =>
      t.db.transaction(async (tx) => {
        await linkAttachments(tx, { ids: [id], uploaderId: c.reporter.id, ticketId: r.id });
        const swept = await within(10_000, 'the sweep', sweepUploads(t.ctx));
        expect(swept.removed).toBe(0);
        expect(existsSync(uploadPath(t.config.dataDir, id))).toBe(true);
        await place(r.id);
      }),
    );
    expect((await t.db.select().from(attachment).where(eq(attachment.id, id)))[0]?.ticketId).toBe(r.id);
    const file = await t.app.inject({ url: `/api/requests/${r.key}/attachments/${id}`, headers: { cookie: c.reporter.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    // Attached now: later sweeps leave it alone.
    t.clock.advance(dayAndASecond);
    await sweepUploads(t.ctx);
    expect(existsSync(ticketFilePath(t.config.dataDir, r.id, id))).toBe(true);
  });

  it('leaves every upload attached with its file or gone with its file when replies and sweeps run at once', { timeout: 120_000 }, async () => {
    const c = await customerOrg(t);
    await t.db.update(organization).set({ storageQuotaMb: 100 }).where(eq(organization.id, c.org.id));
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const people = [c.reporter, c.colleague];
    const uploads: { id: string; person: (typeof people)[number] }[] = [];
    for (let i = 0; i < 16; i++) {
      const person = people[i % 2]!;
      uploads.push({ id: await upload(person.cookie, `race-${i}.png`), person });
    }
    t.clock.advance(dayAndASecond);

    const replies = uploads.map(({ id, person }, i) =>
      call(t.app, { method: 'POST', url: `/api/requests/${r.key}/messages`, cookie: person.cookie, body: { body: `Reply ${i}`, attachmentIds: [id] } }),
    );
    const sweeps = [0, 1, 2, 3].map(() => within(60_000, 'a sweep', sweepUploads(t.ctx, { batchSize: 1 })));
    const [answers, results] = await Promise.all([Promise.all(replies), Promise.all(sweeps)]);

    const rows = new Map(
      (
        await t.db
          .select()
          .from(attachment)
          .where(
            inArray(
              attachment.id,
              uploads.map((u) => u.id),
            ),
          )
      ).map((a) => [a.id, a]),
    );
    let attached = 0;
    for (const [i, answer] of answers.entries()) {
      const { id } = uploads[i]!;
      const row = rows.get(id);
      if (answer.statusCode === 201) {
        attached++;
        expect(row?.ticketId, `upload ${i}`).toBe(r.id);
        const file = await t.app.inject({ url: `/api/requests/${r.key}/attachments/${id}`, headers: { cookie: c.reporter.cookie } });
        expect(file.statusCode, `upload ${i}`).toBe(200);
        expect(file.rawPayload.equals(PNG)).toBe(true);
      } else {
        expect(answer.statusCode, `upload ${i}: ${answer.body}`).toBe(400);
        expect(answer.json().code).toBe('attachment.unknown');
        expect(row, `upload ${i}`).toBeUndefined();
        expect(existsSync(uploadPath(t.config.dataDir, id))).toBe(false);
        expect(existsSync(ticketFilePath(t.config.dataDir, r.id, id))).toBe(false);
      }
    }
    // Each upload swept at most once, by one of the sweeps.
    expect(results.reduce((sum, result) => sum + result.removed, 0)).toBe(uploads.length - attached);
  });
});
