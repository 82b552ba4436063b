/**
 * The "inbound mail" entry of `npm run bench` (alone: `npm run bench -- --only inbound`): e-mails
 * per second through the whole pipeline — `receiveMail`, as the SMTP receiver and the IMAP reader
 * call it: parse, store the raw message, recognise noise, rate-limit the sender, match the request,
 * post the reply as a message with its effects (notifications, history, search) — on PostgreSQL
 * with 100,000 requests (the workspace's seed, bench/seed.ts).
 *
 * The e-mails are replies of the requests' reporters, as mail clients write them: plain text or
 * multipart/alternative with an HTML part, the reply above the quoted history (the notification they
 * answer) and a signature, in the customer's language. Most are sent to the request's signed reply
 * address; some carry only the thread (In-Reply-To / References to the request's Message-ID), some
 * only the key in the subject. They come from many senders (the pipeline takes at most 60 messages
 * per sender in 10 minutes), a few at a time like an MTA delivering (concurrency 6 by default).
 *
 * Options (environment): BENCH_INBOUND_DATABASE_URL (created and dropped), BENCH_INBOUND_ROWS
 * (100000), BENCH_INBOUND_MESSAGES (2000), BENCH_INBOUND_CONCURRENCY (6), BENCH_INBOUND_PROFILE=1
 * (also times every SQL statement of the measured deliveries: the statements costing the most, with
 * their count and total time; the figures are then a little slower).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { migrateDatabase, openDatabase } from '../src/server/db/client.ts';
import { ensureBaseCatalog } from '../src/server/features/catalog/base-catalog.ts';
import { receiveMail } from '../src/server/features/inbound/receive-mail.ts';
import { signedReplyAddress } from '../src/server/features/mail/reply-address.ts';
import { summarize, type Stats } from './measure.ts';
import { finishSeed, planFor, prepareSeed, secondaryIndexesQuery, seedPeople, seedRequests, type Exec } from './seed.ts';
import { profile, wrapQueries } from './statement-profile.ts';

type Log = (message: string) => void;

export type InboundResult = {
  database: string;
  requests: number;
  seedSeconds: number;
  messages: number;
  concurrency: number;
  senders: number;
  /** How the measured messages were addressed, and how the pipeline matched them. */
  addressing: Record<string, number>;
  matchedBy: Record<string, number>;
  statuses: Record<string, number>;
  stats: Stats;
  /** CPU time of the Node process (the app) per measured message, in ms. */
  nodeCpuMsPerMessage: number;
  /** With BENCH_INBOUND_PROFILE=1: the statements costing the most, total ms over the measured messages. */
  statements?: { text: string; calls: number; totalMs: number; avgMs: number }[];
  /** Average size of the raw messages, in bytes. */
  averageBytes: number;
};

/** Replies, in the customer's language: what a customer writes above the notification they answer. */
const REPLIES = {
  fr: [
    'Bonjour,\n\nMerci pour votre retour. J’ai refait l’essai ce matin et l’erreur revient dès que je lance l’impression des factures du mois.\nJe vous joins la référence du document concerné : {code}.\n\nBonne journée',
    'Bonjour,\n\nC’est bon pour nous, le traitement de nuit est passé sans erreur. Vous pouvez fermer la demande.\n\nMerci encore',
    'Bonjour,\n\nLe problème persiste chez deux collègues de la comptabilité, mais pas chez moi. Faut-il vider le cache du poste ?\n\nCordialement',
  ],
  de: [
    'Guten Tag\n\nDanke für Ihre Rückmeldung. Ich habe es heute Morgen nochmals versucht, der Fehler {code} erscheint weiterhin beim Drucken der Monatsrechnungen.\n\nFreundliche Grüsse',
    'Hallo\n\nBei uns funktioniert es jetzt wieder, der Nachtlauf ist ohne Fehler durchgelaufen. Sie können die Anfrage schliessen.\n\nBesten Dank',
    'Guten Tag\n\nZwei Kolleginnen aus der Buchhaltung haben das Problem immer noch. Muss der Cache gelöscht werden?\n\nFreundliche Grüsse',
  ],
  en: [
    'Hello,\n\nThanks for getting back to me. I tried again this morning and error {code} still shows up when printing the monthly invoices.\n\nBest regards',
    'Hi,\n\nAll good on our side now, the nightly batch ran without errors. You can close the request.\n\nThanks again',
    'Hello,\n\nTwo colleagues in accounting still have the problem, but I do not. Should they clear the cache?\n\nKind regards',
  ],
} as const;
const QUOTE_INTRO = {
  fr: (date: string) => `Le ${date}, Service clients <support@bench.example> a écrit :`,
  de: (date: string) => `Am ${date} schrieb Kundendienst <support@bench.example>:`,
  en: (date: string) => `On ${date}, Customer Services <support@bench.example> wrote:`,
} as const;
const QUOTED = {
  fr: 'Bonjour,\n\nNous avons analysé votre demande. Pourriez-vous nous indiquer si l’erreur apparaît aussi sur un autre poste ?\n\nVotre demande : {summary}\nRépondez simplement à cet e-mail pour ajouter un message.\n\nMeilleures salutations\nService clients',
  de: 'Guten Tag\n\nWir haben Ihre Anfrage analysiert. Tritt der Fehler auch auf einem anderen Arbeitsplatz auf?\n\nIhre Anfrage: {summary}\nAntworten Sie einfach auf diese E-Mail, um eine Nachricht hinzuzufügen.\n\nFreundliche Grüsse\nKundendienst',
  en: 'Hello,\n\nWe have looked into your request. Does the error also appear on another workstation?\n\nYour request: {summary}\nSimply reply to this e-mail to add a message.\n\nBest regards\nCustomer Services',
} as const;
type Lang = keyof typeof REPLIES;

type Target = { id: string; key: string; summary: string; language: Lang; reporterEmail: string; reporterName: string; organization: string };
type Addressing = 'reply address' | 'thread' | 'subject';

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** One reply as a mail client sends it (CRLF, 8-bit UTF-8 bodies, an HTML alternative one time in two). */
function replyMail(t: Target, addressing: Addressing, n: number, options: { replyTo: string; secret: string; host: string }): Buffer {
  const reply = REPLIES[t.language][n % 3]!.replace('{code}', `E${1000 + (n % 9000)}`);
  const sent = new Date(Date.now() - 86_400_000);
  const quoted = QUOTED[t.language].replace('{summary}', t.summary);
  const signature = `-- \n${t.reporterName}\n${t.organization}\n+41 21 555 ${String(1000 + (n % 9000))}`;
  const text = `${reply}\n\n${signature}\n\n${QUOTE_INTRO[t.language](sent.toUTCString())}\n${quoted
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')}\n`;
  const threadId = `<request-${t.id}@${options.host}>`;
  const to = addressing === 'reply address' ? signedReplyAddress(options.replyTo, options.secret, t.key, t.reporterEmail) : options.replyTo;
  const subject = addressing === 'subject' ? `Re: [${t.key}] ${t.summary}` : `Re: ${t.summary}`;
  const headers = [
    `From: ${t.reporterName} <${t.reporterEmail}>`,
    `To: ${to}`,
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@mail.${t.reporterEmail.split('@')[1]}>`,
    ...(addressing === 'thread' ? [`In-Reply-To: ${threadId}`, `References: ${threadId}`] : []),
    'MIME-Version: 1.0',
    `Content-Language: ${t.language}`,
    'User-Agent: Mozilla Thunderbird',
  ];
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  if (n % 2 === 0) {
    return Buffer.from([...headers, 'Content-Type: text/plain; charset=UTF-8; format=flowed', 'Content-Transfer-Encoding: 8bit', '', crlf(text)].join('\r\n'));
  }
  const boundary = `------------${randomUUID().replaceAll('-', '')}`;
  const [mine, history] = [`${reply}\n\n${signature}`, text.slice(reply.length + signature.length + 4)];
  const html = `<html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"></head><body><p>${escapeHtml(mine).replace(/\n/g, '<br>')}</p><blockquote type="cite">${escapeHtml(history).replace(/\n/g, '<br>')}</blockquote></body></html>`;
  return Buffer.from(
    [
      ...headers,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8; format=flowed',
      'Content-Transfer-Encoding: 8bit',
      '',
      crlf(text),
      `--${boundary}`,
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      html,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

function count(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export async function benchInbound(
  databaseUrl: string,
  options: { rows: number; messages: number; concurrency: number; profile?: boolean },
  log: Log,
): Promise<InboundResult> {
  if (options.profile) wrapQueries();
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`the inbound bench database must be named with letters, digits, _: ${name}`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  await admin.end();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-inbound-'));
  const database = await openDatabase({ databaseUrl: url.toString() });
  const workers = [new pg.Client({ connectionString: url.toString() }), new pg.Client({ connectionString: url.toString() })];
  const config = loadConfig({
    DATA_DIR: dataDir,
    AUTH_SECRET: 'benchmark-secret-that-is-long-enough-0123',
    BASE_URL: 'https://guichet.bench.example',
    MAIL_FROM: 'Guichet <support@guichet.bench.example>',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
  });
  const app = await buildApp({ config, database, clock: systemClock, boss: null, logger: false });
  try {
    await migrateDatabase(database);
    await ensureBaseCatalog(database.db);

    // The workspace's seed, set-based (bench/seed.ts): secondary indexes dropped, rows loaded by two sessions, indexes rebuilt.
    const t0 = performance.now();
    log(`inbound mail: seeding ${options.rows.toLocaleString('en')} requests (PostgreSQL ${version})`);
    await Promise.all(workers.map((w) => w.connect()));
    const execs: Exec[] = workers.map((w) => (text) => w.query(text));
    const exec = execs[0]!;
    const plan = planFor(options.rows, Math.floor(Date.now() / 1000) - 300);
    const indexes = (await workers[0]!.query(secondaryIndexesQuery)).rows as { name: string; definition: string }[];
    for (const index of indexes) await exec(`drop index "${index.name}"`);
    for (const e of execs) await prepareSeed(e, { superuser: true });
    await seedPeople(exec, plan, await (await app.ctx.auth.$context).password.hash('Bench-password-0123'));
    const chunks: [number, number][] = [];
    for (let lo = 1; lo <= plan.rows; lo += 25_000) chunks.push([lo, Math.min(plan.rows, lo + 24_999)]);
    await Promise.all(
      execs.map(async (e) => {
        for (let c = chunks.shift(); c; c = chunks.shift()) await seedRequests(e, plan, c[0], c[1]);
      }),
    );
    await finishSeed(exec, plan);
    const queue = [...indexes];
    await Promise.all(
      execs.map(async (e) => {
        await e(`set maintenance_work_mem = '512MB'`);
        for (let index = queue.shift(); index; index = queue.shift()) await e(index.definition);
      }),
    );
    await exec(`set session_replication_role = origin`);
    await exec(`vacuum (analyze)`);
    const seedSeconds = Math.round((performance.now() - t0) / 1000);
    log(`  seeded in ${seedSeconds} s`);

    // The requests replied to: open ones (and recently resolved), at most 40 replies per reporter.
    const perSender = 40;
    const targets = (
      await workers[0]!.query(
        `select t.id, t.key, t.summary, u.language, u.email as reporter_email, u.name as reporter_name, o.name as organization
         from ticket t join "user" u on u.id = t.reporter_id join organization o on o.id = t.organization_id
         where t.status not in ('closed', 'canceled') order by t.created_at desc`,
      )
    ).rows.map(
      (r): Target => ({
        id: r.id,
        key: r.key,
        summary: r.summary,
        language: r.language,
        reporterEmail: r.reporter_email,
        reporterName: r.reporter_name,
        organization: r.organization,
      }),
    );
    await Promise.all(workers.map((w) => w.end()));
    const warmup = Math.min(100, Math.floor(options.messages / 10));
    const mails: { raw: Buffer; addressing: Addressing; sender: string }[] = [];
    const sent = new Map<string, number>();
    const mailOptions = { replyTo: config.mailReplyTo, secret: config.authSecret, host: new URL(config.baseUrl).hostname };
    for (let n = 0, i = 0; mails.length < warmup + options.messages; n++, i = (i + 1) % targets.length) {
      const t = targets[(i * 7919) % targets.length]!;
      if ((sent.get(t.reporterEmail) ?? 0) >= perSender) {
        if (n > targets.length * perSender) throw new Error('inbound mail: not enough open requests for the messages asked for');
        continue;
      }
      sent.set(t.reporterEmail, (sent.get(t.reporterEmail) ?? 0) + 1);
      // 70 % to the signed reply address, 15 % by the thread only, 15 % by the key in the subject only.
      const addressing: Addressing = n % 20 < 14 ? 'reply address' : n % 20 < 17 ? 'thread' : 'subject';
      mails.push({ raw: replyMail(t, addressing, n, mailOptions), addressing, sender: t.reporterEmail });
    }
    const averageBytes = Math.round(mails.reduce((s, m) => s + m.raw.length, 0) / mails.length);
    log(
      `inbound mail: ${options.messages} replies (+${warmup} to warm up) from ${sent.size} senders to ${targets.length.toLocaleString('en')} open requests, ${averageBytes} bytes on average, concurrency ${options.concurrency}`,
    );

    const deliver = async (batch: typeof mails) => {
      const latencies: number[] = [];
      const ids: string[] = [];
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          for (let i = next++; i < batch.length; i = next++) {
            const t = performance.now();
            const received = await receiveMail(app.ctx, batch[i]!.raw, { source: 'smtp' });
            latencies.push(performance.now() - t);
            ids.push(received.id);
          }
        }),
      );
      return { latencies, ids, ms: performance.now() - start };
    };
    await deliver(mails.slice(0, warmup));
    const measured = mails.slice(warmup);
    profile.on = Boolean(options.profile);
    const cpu = process.cpuUsage();
    const run = await deliver(measured);
    const used = process.cpuUsage(cpu);
    profile.on = false;
    // The app's own CPU per message (parsing, rendering the notifications, drizzle, pg): PostgreSQL's is not in it.
    const nodeCpuMsPerMessage = Math.round(((used.user + used.system) / 1000 / measured.length) * 100) / 100;
    const statements = [...profile.byStatement]
      .map(([text, e]) => ({ text, calls: e.calls, totalMs: Math.round(e.ms), avgMs: Math.round((e.ms / e.calls) * 100) / 100 }))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, 25);
    if (options.profile) {
      const total = [...profile.byStatement.values()].reduce((sum, e) => sum + e.ms, 0);
      log(`  SQL: ${Math.round(total)} ms in statements over ${Math.round(run.ms)} ms of wall time (${options.concurrency} at once); the costliest:`);
      for (const st of statements.slice(0, 15)) log(`    ${String(st.totalMs).padStart(6)} ms ${String(st.calls).padStart(5)}× ${st.avgMs} ms  ${st.text}`);
    }
    const stats = summarize(run.latencies, run.ms);

    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    const outcome = await probe.query(
      `select status, coalesce(matched_by, '-') as matched_by, count(*)::int as n from inbound_message where id = any($1::uuid[]) group by 1, 2`,
      [run.ids],
    );
    await probe.end();
    const statuses: Record<string, number> = {};
    const matchedBy: Record<string, number> = {};
    for (const r of outcome.rows as { status: string; matched_by: string; n: number }[]) {
      statuses[r.status] = (statuses[r.status] ?? 0) + r.n;
      matchedBy[r.matched_by] = (matchedBy[r.matched_by] ?? 0) + r.n;
    }
    log(
      `  ${stats.perSecond} messages/s, p50 ${stats.p50} ms, p95 ${stats.p95} ms, Node CPU ${nodeCpuMsPerMessage} ms per message; statuses ${JSON.stringify(statuses)}, matched by ${JSON.stringify(matchedBy)}`,
    );
    return {
      database: `PostgreSQL ${version}`,
      requests: options.rows,
      seedSeconds,
      messages: measured.length,
      concurrency: options.concurrency,
      senders: sent.size,
      addressing: count(measured.map((m) => m.addressing)),
      matchedBy,
      statuses,
      stats,
      nodeCpuMsPerMessage,
      ...(options.profile ? { statements } : {}),
      averageBytes,
    };
  } finally {
    await app.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    const cleanup = new pg.Client({ connectionString: adminUrl.toString() });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}
