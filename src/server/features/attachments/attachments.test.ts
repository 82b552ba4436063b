/**
 * Attached files and the transaction that attaches them stand or fall together: a file that cannot
 * be put in the request's folder fails the request (5xx, nothing written, the upload still pending
 * and whole); a transaction that does not commit takes the placed files back.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachment, ticket, ticketMessage } from '../../db/schema.ts';
import { call, createTestApp, type TestApp } from '../../../../tests/support/test-app.ts';
import { agentOf, catalog, customerOrg, openRequest, PDF, PNG, uploadFile } from '../../../../tests/support/ticket-fixtures.ts';
import { attachFilesInTransaction, ticketFilePath, uploadPath } from './storage.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof catalog>>;
beforeAll(async () => {
  t = await createTestApp();
  ids = await catalog(t);
});
afterAll(async () => {
  await t.close();
});

const upload = async (cookie: string, name: string, bytes: Buffer, type: string) => {
  const res = await uploadFile(t, cookie, name, bytes, type);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const attachmentRows = (attachmentIds: string[]) => t.db.select().from(attachment).where(inArray(attachment.id, attachmentIds));
const ticketCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(ticket))[0]!.n;
/** Every attached file under DATA_DIR/attachments, outside uploads/. */
const filesInRequestFolders = () => {
  const root = path.join(t.config.dataDir, 'attachments');
  return readdirSync(root)
    .filter((d) => d !== 'uploads')
    .flatMap((d) => readdirSync(path.join(root, d)).map((f) => `${d}/${f}`));
};

describe('a request with attachments', () => {
  it('fails with a 5xx and writes nothing when a file cannot be placed, taking back the files already placed', async () => {
    const c = await customerOrg(t);
    const picture = await upload(c.reporter.cookie, 'screen.png', PNG, 'image/png');
    const lost = await upload(c.reporter.cookie, 'log.pdf', PDF, 'application/pdf');
    rmSync(uploadPath(t.config.dataDir, lost)); // the second file is gone from the disk
    const before = { tickets: await ticketCount(), placed: filesInRequestFolders() };

    const res = await call(t.app, {
      method: 'POST',
      url: '/api/requests',
      cookie: c.reporter.cookie,
      body: { requestTypeId: ids.assistanceId, summary: 'With files', description: 'See attached', criticality: 'low', attachmentIds: [picture, lost] },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('internal');
    expect(await ticketCount()).toBe(before.tickets);
    expect((await attachmentRows([picture, lost])).map((a) => a.ticketId)).toEqual([null, null]);
    // The first file, placed before the second failed, was taken back; its upload is whole.
    expect(filesInRequestFolders()).toEqual(before.placed);
    expect(readFileSync(uploadPath(t.config.dataDir, picture)).equals(PNG)).toBe(true);

    // The same upload can be attached again, and is then served from the request's folder only.
    const created = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId, attachmentIds: [picture] });
    expect(existsSync(uploadPath(t.config.dataDir, picture))).toBe(false);
    expect(readFileSync(ticketFilePath(t.config.dataDir, created.id, picture)).equals(PNG)).toBe(true);
    const file = await t.app.inject({ url: `/api/requests/${created.key}/attachments/${picture}`, headers: { cookie: c.reporter.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
  });
});

describe('a reply with attachments', () => {
  it('fails with a 5xx and writes nothing when the request’s folder refuses the file, and succeeds once it accepts it', async () => {
    const c = await customerOrg(t);
    const agent = await agentOf(t, [ids.supportId]);
    const r = await openRequest(t, c.reporter.cookie, { requestTypeId: ids.assistanceId });
    const pdf = await upload(agent.cookie, 'fix.pdf', PDF, 'application/pdf');
    // Something else already sits where the file must go.
    const obstacle = ticketFilePath(t.config.dataDir, r.id, pdf);
    mkdirSync(path.join(obstacle, 'in-the-way'), { recursive: true });

    const reply = () =>
      call(t.app, { method: 'POST', url: `/api/requests/${r.key}/messages`, cookie: agent.cookie, body: { body: 'Here is the fix.', attachmentIds: [pdf] } });
    const failed = await reply();
    expect(failed.statusCode).toBe(500);
    expect(await t.db.select().from(ticketMessage).where(eq(ticketMessage.ticketId, r.id))).toEqual([]);
    expect((await attachmentRows([pdf]))[0]?.ticketId).toBeNull();
    const detail = (await call(t.app, { url: `/api/requests/${r.key}`, cookie: c.reporter.cookie })).json();
    expect(detail.status).toBe('open');
    expect(readFileSync(uploadPath(t.config.dataDir, pdf)).equals(PDF)).toBe(true);

    rmSync(obstacle, { recursive: true });
    const ok = await reply();
    expect(ok.statusCode, ok.body).toBe(201);
    const file = await t.app.inject({ url: `/api/requests/${r.key}/attachments/${pdf}`, headers: { cookie: c.reporter.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
  });
});

describe('attachFilesInTransaction', () => {
  const dataDirs: string[] = [];
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  const setup = (...names: string[]) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-storage-'));
    dataDirs.push(dataDir);
    mkdirSync(path.dirname(uploadPath(dataDir, 'x')), { recursive: true });
    for (const name of names) writeFileSync(uploadPath(dataDir, name), `content of ${name}`);
    return dataDir;
  };

  it('takes the placed files back when the transaction does not commit, leaving the uploads whole', async () => {
    const dataDir = setup('a', 'b');
    await expect(
      attachFilesInTransaction(dataDir, ['a', 'b'], async (place) => {
        await place('t1');
        expect(readFileSync(ticketFilePath(dataDir, 't1', 'b'), 'utf8')).toBe('content of b');
        throw new Error('the commit failed');
      }),
    ).rejects.toThrow('the commit failed');
    expect(existsSync(ticketFilePath(dataDir, 't1', 'a'))).toBe(false);
    expect(existsSync(ticketFilePath(dataDir, 't1', 'b'))).toBe(false);
    expect(readFileSync(uploadPath(dataDir, 'a'), 'utf8')).toBe('content of a');
  });

  it('moves the files once the transaction commits', async () => {
    const dataDir = setup('a');
    expect(
      await attachFilesInTransaction(dataDir, ['a'], async (place) => {
        await place('t1');
        return 'done';
      }),
    ).toBe('done');
    expect(readFileSync(ticketFilePath(dataDir, 't1', 'a'), 'utf8')).toBe('content of a');
    expect(existsSync(uploadPath(dataDir, 'a'))).toBe(false);
  });

  it('accepts a file already there: moved before (upload gone), or placed by an attempt that crashed before its commit', async () => {
    const dataDir = setup('moved', 'crashed');
    mkdirSync(path.dirname(ticketFilePath(dataDir, 't1', 'x')), { recursive: true });
    writeFileSync(ticketFilePath(dataDir, 't1', 'moved'), 'content of moved');
    rmSync(uploadPath(dataDir, 'moved'));
    // A crash between placing and committing left the request's name of the same file.
    const { linkSync } = await import('node:fs');
    linkSync(uploadPath(dataDir, 'crashed'), ticketFilePath(dataDir, 't1', 'crashed'));
    await attachFilesInTransaction(dataDir, ['moved', 'crashed'], async (place) => place('t1'));
    expect(readFileSync(ticketFilePath(dataDir, 't1', 'moved'), 'utf8')).toBe('content of moved');
    expect(readFileSync(ticketFilePath(dataDir, 't1', 'crashed'), 'utf8')).toBe('content of crashed');
    expect(statSync(ticketFilePath(dataDir, 't1', 'crashed')).nlink).toBe(1);
  });

  it('refuses a file whose upload is gone and which is not in the request’s folder either', async () => {
    const dataDir = setup();
    await expect(attachFilesInTransaction(dataDir, ['missing'], async (place) => place('t1'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
