/**
 * One account cannot fill the disk: uploads are limited per person (files and bytes per window,
 * counted in the database), a customer's uploads count against their organization's storage quota
 * (ORG_STORAGE_QUOTA_MB, or the organization's own, set by an administrator), and uploads never
 * attached are deleted after a day, rows and files.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachment, auditLog, organization } from '../../db/schema.ts';
import { call, createTestApp, loginAs, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest, PDF, PNG, uploadFile } from '../../../../tests/support/ticket-fixtures.ts';
import { ticketFilePath, uploadPath } from './storage.ts';
import { sweepUploads, UPLOAD_KEEP_HOURS } from './sweep-uploads.job.ts';
import { UPLOAD_LIMITS } from './upload-attachment.ts';

const MIB = 1024 * 1024;
/** The installation's default quota in this file: 1 MiB, so that a few small files reach it. */
const DEFAULT_QUOTA_MB = 1;

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_STORAGE_QUOTA_MB: String(DEFAULT_QUOTA_MB) } });
  ids = await catalog(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

/** A PDF of about `kib` KiB (its signature first, padding after). */
const pdfOf = (kib: number) => Buffer.concat([PDF, Buffer.alloc(kib * 1024 - PDF.length, 0x20)]);
const upload = (cookie: string, bytes: Buffer, name = 'file.pdf') => uploadFile(t, cookie, name, bytes, 'application/pdf');
const uploaded = async (cookie: string, bytes: Buffer, name?: string) => {
  const res = await upload(cookie, bytes, name);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const rowsOf = (attachmentIds: string[]) => t.db.select().from(attachment).where(inArray(attachment.id, attachmentIds));
const storageOf = async (organizationId: string) =>
  (await call(t.app, { url: `/api/admin/organizations/${organizationId}`, cookie: admin.cookie })).json().storage;
const pendingFiles = () => readdirSync(path.dirname(uploadPath(t.config.dataDir, 'x')));

describe('the upload rate limit', () => {
  it('refuses a person’s files past the limit of the window with 429 and Retry-After, and not another person’s', async () => {
    const c = await customerOrg(t);
    await t.db.update(organization).set({ storageQuotaMb: 100 }).where(eq(organization.id, c.org.id));
    for (let i = 0; i < UPLOAD_LIMITS.files.max; i++) await uploaded(c.reporter.cookie, PNG, `screen-${i}.png`);
    const before = pendingFiles().length;

    const refused = await upload(c.reporter.cookie, PNG, 'one-more.png');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'attachment.rate_limited', field: 'file' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(UPLOAD_LIMITS.files.windowSeconds);
    expect(pendingFiles()).toHaveLength(before);

    // A colleague is counted apart; the same person again once the window has passed.
    await uploaded(c.colleague.cookie, PNG);
    t.clock.advance(UPLOAD_LIMITS.files.windowSeconds * 1000);
    await uploaded(c.reporter.cookie, PNG);
  });

  it('counts the bytes sent too, for staff as well, whatever the number of files', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const limit = UPLOAD_LIMITS.bytes(t.config.attachmentMaxBytes).max;
    const nine = pdfOf(9 * 1024);
    const fit = Math.floor(limit / nine.length);
    expect(fit).toBeLessThan(UPLOAD_LIMITS.files.max);
    for (let i = 0; i < fit; i++) await uploaded(agent.cookie, nine);
    const refused = await upload(agent.cookie, nine);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('attachment.rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // What is left of the window still takes a smaller file.
    await uploaded(agent.cookie, PNG, 'small.png');
  });
});

describe('the storage quota of an organization', () => {
  it('refuses a customer’s upload that would go over the installation’s default quota, for every member, with nothing left behind', async () => {
    const c = await customerOrg(t);
    const first = await uploaded(c.reporter.cookie, pdfOf(600));
    expect((await rowsOf([first]))[0]?.organizationId).toBe(c.org.id);
    const filesBefore = pendingFiles().length;
    const rowsBefore = (await t.db.select().from(attachment).where(eq(attachment.organizationId, c.org.id))).length;

    for (const person of [c.reporter, c.colleague]) {
      const refused = await upload(person.cookie, pdfOf(600));
      expect(refused.statusCode).toBe(413);
      expect(refused.json()).toMatchObject({ code: 'attachment.quota_exceeded', field: 'file', limit: DEFAULT_QUOTA_MB * MIB });
      expect(refused.json().message).toContain(`${DEFAULT_QUOTA_MB} MiB`);
    }
    expect(pendingFiles()).toHaveLength(filesBefore);
    expect(await t.db.select().from(attachment).where(eq(attachment.organizationId, c.org.id))).toHaveLength(rowsBefore);
    // What still fits goes through.
    await uploaded(c.colleague.cookie, pdfOf(300));
    expect(await storageOf(c.org.id)).toEqual({ usedBytes: 900 * 1024, quotaMb: null, effectiveQuotaMb: DEFAULT_QUOTA_MB, defaultQuotaMb: DEFAULT_QUOTA_MB });
  });

  it('does not count staff uploads, attached to the organization’s requests or not', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const staffFiles = [await uploaded(agent.cookie, pdfOf(700)), await uploaded(agent.cookie, pdfOf(700))];
    expect((await rowsOf(staffFiles)).map((a) => a.organizationId)).toEqual([null, null]);
    const reply = await call(t.app, {
      method: 'POST',
      url: `/api/requests/${r.key}/messages`,
      cookie: agent.cookie,
      body: { body: 'Logs attached.', attachmentIds: staffFiles },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect((await storageOf(c.org.id)).usedBytes).toBe(0);
    await uploaded(c.reporter.cookie, pdfOf(900));
  });

  it('refuses uploads from a customer who belongs to no organization (they could attach them nowhere)', async () => {
    const loner = await loginAs(t, 'customer', null);
    const res = await upload(loner.cookie, PNG, 'x.png');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('organization.required');
    expect(await t.db.select().from(attachment).where(eq(attachment.uploaderId, loner.id))).toEqual([]);
  });

  it('lets an administrator set an organization’s own quota, audited, and back to the default; the uploads follow it', async () => {
    const c = await customerOrg(t);
    await uploaded(c.reporter.cookie, pdfOf(800));
    expect((await upload(c.reporter.cookie, pdfOf(800))).statusCode).toBe(413);

    const raised = await call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${c.org.id}`, cookie: admin.cookie, body: { storageQuotaMb: 3 } });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json().storage).toEqual({ usedBytes: 800 * 1024, quotaMb: 3, effectiveQuotaMb: 3, defaultQuotaMb: DEFAULT_QUOTA_MB });
    await uploaded(c.reporter.cookie, pdfOf(800));
    const listed = (await call(t.app, { url: `/api/admin/organizations?q=${encodeURIComponent(c.org.domains[0]!)}`, cookie: admin.cookie })).json();
    expect(listed.items[0].storage).toEqual({ usedBytes: 1600 * 1024, quotaMb: 3, effectiveQuotaMb: 3, defaultQuotaMb: DEFAULT_QUOTA_MB });

    t.clock.advance(1000);
    const reset = await call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${c.org.id}`, cookie: admin.cookie, body: { storageQuotaMb: null } });
    expect(reset.json().storage).toEqual({ usedBytes: 1600 * 1024, quotaMb: null, effectiveQuotaMb: DEFAULT_QUOTA_MB, defaultQuotaMb: DEFAULT_QUOTA_MB });
    const over = await upload(c.reporter.cookie, PNG, 'tiny.png');
    expect(over.statusCode).toBe(413);
    expect(over.json().limit).toBe(DEFAULT_QUOTA_MB * MIB);

    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.org.id), eq(auditLog.action, 'organization.updated')))
      .orderBy(auditLog.at);
    expect(audits.map((a) => a.details)).toEqual([
      { from: { storageQuotaMb: null }, to: { storageQuotaMb: 3 } },
      { from: { storageQuotaMb: 3 }, to: { storageQuotaMb: null } },
    ]);
    expect(audits.every((a) => a.actorId === admin.id)).toBe(true);
  });

  it('refuses a quota that is not a whole number of MiB from 1 to 1 TiB, naming the field, and changes nothing', async () => {
    const c = await customerOrg(t);
    for (const bad of [0, -1, 1.5, 1024 * 1024 + 1, '10']) {
      const res = await call(t.app, { method: 'PATCH', url: `/api/admin/organizations/${c.org.id}`, cookie: admin.cookie, body: { storageQuotaMb: bad } });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json().field).toBe('storageQuotaMb');
    }
    expect((await t.db.select().from(organization).where(eq(organization.id, c.org.id)))[0]?.storageQuotaMb).toBeNull();
  });
});

describe('the sweep of uploads never attached', () => {
  const hours = (n: number) => n * 3600 * 1000;

  it('deletes the rows and files of uploads not attached after 24 hours, not the attached ones nor the younger ones, once', async () => {
    const c = await customerOrg(t);
    await t.db.update(organization).set({ storageQuotaMb: 100 }).where(eq(organization.id, c.org.id));
    const attached = await uploaded(c.reporter.cookie, PNG, 'kept.png');
    const orphans = [await uploaded(c.reporter.cookie, pdfOf(100)), await uploaded(c.colleague.cookie, pdfOf(200))];
    t.clock.advance(hours(12));
    const young = await uploaded(c.reporter.cookie, pdfOf(50));
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, attachmentIds: [attached] });
    t.clock.advance(hours(UPLOAD_KEEP_HOURS - 12) + 1000);
    expect((await storageOf(c.org.id)).usedBytes).toBe(PNG.length + 350 * 1024);

    const first = await sweepUploads(t.ctx);
    expect(first.removed).toBeGreaterThanOrEqual(orphans.length);
    expect(await rowsOf(orphans)).toEqual([]);
    for (const id of orphans) expect(existsSync(uploadPath(t.config.dataDir, id))).toBe(false);
    // The attached file stays, and is still served.
    expect((await rowsOf([attached]))[0]?.ticketId).toBe(r.id);
    expect(existsSync(ticketFilePath(t.config.dataDir, r.id, attached))).toBe(true);
    const file = await t.app.inject({ url: `/api/requests/${r.key}/attachments/${attached}`, headers: { cookie: c.reporter.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    // The younger one waits its turn.
    expect(await rowsOf([young])).toHaveLength(1);
    expect(existsSync(uploadPath(t.config.dataDir, young))).toBe(true);
    // Their room is free again.
    expect((await storageOf(c.org.id)).usedBytes).toBe(PNG.length + 50 * 1024);
    // A removed upload can no longer be attached.
    const late = await call(t.app, {
      method: 'POST',
      url: `/api/requests/${r.key}/messages`,
      cookie: c.colleague.cookie,
      body: { body: 'With my file', attachmentIds: [orphans[1]] },
    });
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({ code: 'attachment.unknown', field: 'attachmentIds' });

    // Run again: nothing more to do.
    expect(await sweepUploads(t.ctx)).toEqual({ removed: 0, strayFiles: 0 });
    t.clock.advance(hours(12));
    await sweepUploads(t.ctx);
    expect(await rowsOf([young])).toEqual([]);
    expect(existsSync(uploadPath(t.config.dataDir, young))).toBe(false);
    expect(await rowsOf([attached])).toHaveLength(1);
  });

  it('works in batches until none is due, and finishes the work of a sweep that stopped half-way (rows whose files are gone)', async () => {
    const agent = await agentOf(t, [ids.supportId]);
    const due = [];
    for (let i = 0; i < 7; i++) due.push(await uploaded(agent.cookie, PNG, `p${i}.png`));
    t.clock.advance(hours(UPLOAD_KEEP_HOURS) + 1000);
    // A previous sweep removed these files, then failed before deleting their rows.
    const { rmSync } = await import('node:fs');
    for (const id of due.slice(0, 3)) rmSync(uploadPath(t.config.dataDir, id));
    const result = await sweepUploads(t.ctx, { batchSize: 2 });
    expect(result.removed).toBeGreaterThanOrEqual(due.length);
    expect(await rowsOf(due)).toEqual([]);
    for (const id of due) expect(existsSync(uploadPath(t.config.dataDir, id))).toBe(false);
  });

  it('removes files that no row names once they are as old, and no other file', async () => {
    const dir = path.dirname(uploadPath(t.config.dataDir, 'x'));
    const stray = randomUUID();
    const youngStray = randomUUID();
    writeFileSync(path.join(dir, stray), 'left by a crash between the file and its row');
    writeFileSync(path.join(dir, youngStray), 'being uploaded right now');
    writeFileSync(path.join(dir, 'not-an-upload.txt'), 'not ours');
    const now = t.clock.now().getTime();
    const old = new Date(now - hours(UPLOAD_KEEP_HOURS) - 1000);
    utimesSync(path.join(dir, stray), old, old);
    utimesSync(path.join(dir, 'not-an-upload.txt'), old, old);
    const recent = new Date(now - hours(1));
    utimesSync(path.join(dir, youngStray), recent, recent);

    const result = await sweepUploads(t.ctx);
    expect(result.strayFiles).toBe(1);
    expect(existsSync(path.join(dir, stray))).toBe(false);
    expect(existsSync(path.join(dir, youngStray))).toBe(true);
    expect(existsSync(path.join(dir, 'not-an-upload.txt'))).toBe(true);
  });
});
