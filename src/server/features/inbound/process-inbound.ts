import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import type { InboundMatch, InboundReason, InboundStatus, RefusedAttachment } from '#shared/inbound-api.ts';
import { BODY_MAX, SUMMARY_MAX } from '#shared/tickets-api.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { consumeRate } from '../../db/rate-limit.ts';
import { desk, inboundMessage, outbox, requestType, ticket, ticketParticipant, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { isCustomerServices } from '../../policies/accounts.ts';
import { can } from '../../policies/can.ts';
import { canSeeSql, loadViewer, type Viewer } from '../../policies/tickets.ts';
import { roleSchema, languageSchema } from '#shared/enums.ts';
import { uploadAttachment } from '../attachments/upload-attachment.ts';
import { openFollowUp } from '../lifecycle/open-follow-up.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { readReplyAddress, signatureFits } from '../mail/reply-address.ts';
import { addMessage } from '../tickets/add-message.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { noiseReason } from './classify.ts';
import { parseMail, type ParsedMail } from './parse-mail.ts';
import { readRaw } from './raw-store.ts';

/** How long one process holds a message it works on; after a crash the sweep takes it once this has run out. */
export const PROCESSING_LEASE_MS = 5 * 60_000;

/** Per sender: at most this many messages in the window; more are recorded and ignored (a mail storm, a loop we could not recognise). */
export const SENDER_LIMIT = { windowSeconds: 10 * 60, max: 60 };
/** At most one polite answer per address in this window, whatever it sends. */
export const ANSWER_LIMIT = { windowSeconds: 60 * 60, max: 1 };

export type Outcome = {
  status: Exclude<InboundStatus, 'received'>;
  reason?: InboundReason | null;
  detail?: string | null;
  matchedBy?: InboundMatch | null;
  ticketId?: string | null;
  ticketMessageId?: string | null;
  openedRequest?: boolean;
  deskId?: string | null;
  refusedAttachments?: RefusedAttachment[];
};

/**
 * The transaction that posts a received message need not wait for its commit to reach the disk:
 * the message's source and its `received` row were made durable before it began, so a crash that
 * loses this commit loses nothing — the row is still `received`, and the sweep posts it once its
 * lease has run out. (PostgreSQL's synchronous_commit, for this transaction only: a third of a
 * reply's time on this machine's disk.)
 */
async function commitWithoutWaiting(tx: Tx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/** The message was finished by someone else meanwhile (the sweep and the receiver, two instances): this attempt rolls back. */
class AlreadyFinished extends Error {}

type Claimed = { id: string; toAddresses: string[] };

/**
 * Records the outcome of a message, in the caller's transaction when there is one (the message or
 * request it became commits with it). Only a message still `received` is finished: a second
 * attempt finds it finished and rolls back its own writes, so a message is posted once.
 */
async function finish(tx: DbOrTx, ctx: Pick<AppContext, 'clock'>, id: string, parsed: ParsedMail | null, outcome: Outcome): Promise<void> {
  const [done] = await tx
    .update(inboundMessage)
    .set({
      status: outcome.status,
      reason: outcome.reason ?? null,
      detail: outcome.detail?.slice(0, 2000) ?? null,
      matchedBy: outcome.matchedBy ?? null,
      ticketId: outcome.ticketId ?? null,
      ticketMessageId: outcome.ticketMessageId ?? null,
      openedRequest: outcome.openedRequest ?? false,
      deskId: outcome.deskId ?? null,
      refusedAttachments: outcome.refusedAttachments ?? [],
      ...(parsed ? { text: parsed.text } : {}),
      processedAt: ctx.clock.now(),
      claimedUntil: null,
    })
    .where(and(eq(inboundMessage.id, id), eq(inboundMessage.status, 'received')))
    .returning({ id: inboundMessage.id });
  if (!done) throw new AlreadyFinished();
}

/**
 * Processes a stored message this process holds: parses it, recognises noise, matches it to a
 * request and applies it. Never throws for the message's own faults: they are recorded (failed,
 * with why) for an administrator to see and re-process.
 */
export async function processClaimed(
  ctx: AppContext,
  claimed: Claimed,
  raw: Buffer,
  options: { rateLimit?: boolean; parsed?: ParsedMail | null } = {},
): Promise<InboundStatus> {
  let parsed: ParsedMail;
  try {
    parsed = options.parsed ?? (await parseMail(raw, claimed.toAddresses));
  } catch (error) {
    return settle(ctx, claimed.id, null, { status: 'failed', reason: 'unreadable', detail: (error as Error).message });
  }
  try {
    return await decide(ctx, claimed, parsed, options);
  } catch (error) {
    if (error instanceof AlreadyFinished) return currentStatus(ctx.db, claimed.id);
    ctx.mail.log.error({ err: error, inbound: claimed.id }, 'inbound mail: processing failed');
    return settle(ctx, claimed.id, parsed, { status: 'failed', reason: 'error', detail: (error as Error).message });
  }
}

async function currentStatus(db: DbOrTx, id: string): Promise<InboundStatus> {
  const [row] = await db.select({ status: inboundMessage.status }).from(inboundMessage).where(eq(inboundMessage.id, id));
  return row?.status ?? 'failed';
}

/** Records an outcome that writes nothing else. */
async function settle(ctx: AppContext, id: string, parsed: ParsedMail | null, outcome: Outcome): Promise<InboundStatus> {
  try {
    await finish(ctx.db, ctx, id, parsed, outcome);
    return outcome.status;
  } catch (error) {
    if (error instanceof AlreadyFinished) return currentStatus(ctx.db, id);
    throw error;
  }
}

type Sender = { id: string; name: string; email: string; role: string; language: string; organizationId: string | null; banned: boolean | null };

async function findSender(db: DbOrTx, address: string): Promise<Sender | null> {
  if (!address) return null;
  const [found] = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      language: user.language,
      organizationId: user.organizationId,
      banned: user.banned,
    })
    .from(user)
    .where(eq(user.email, address));
  return found ?? null;
}

const viewerOf = (db: DbOrTx, s: Sender): Promise<Viewer> =>
  loadViewer(db, {
    id: s.id,
    name: s.name,
    email: s.email,
    role: roleSchema.parse(s.role),
    language: languageSchema.parse(s.language),
    organizationId: s.organizationId,
  });

/** The request a message names, and how: the signed reply address, then the thread, then the key in the subject. */
type Matched = { ticketId: string; by: Exclude<InboundMatch, 'desk_address'> } | null;

const KEY_IN_SUBJECT = /\b([A-Z]{2,6}-\d{1,9})\b/i;

async function matchRequest(ctx: AppContext, mail: ParsedMail): Promise<{ matched: Matched; keyCandidate: string | null }> {
  const tagged = readReplyAddress(ctx.mail.replyTo, mail.recipients);
  if (tagged && signatureFits(ctx.mail.replySecret, tagged, mail.from)) {
    const id = await ticketIdByKey(ctx.db, tagged.key);
    if (id) return { matched: { ticketId: id, by: 'reply_address' }, keyCandidate: null };
  }
  const threadTicket = await ticketOfThread(ctx, [...mail.inReplyTo, ...[...mail.references].reverse()]);
  if (threadTicket) return { matched: { ticketId: threadTicket, by: 'thread' }, keyCandidate: null };
  // An unsigned or foreign-signed tag (a forwarded notification, an address written by hand) counts as a key in the subject.
  const key = tagged?.key ?? KEY_IN_SUBJECT.exec(mail.subject)?.[1]?.toUpperCase() ?? null;
  if (key) {
    const id = await ticketIdByKey(ctx.db, key);
    if (id) return { matched: { ticketId: id, by: 'subject' }, keyCandidate: key };
  }
  return { matched: null, keyCandidate: null };
}

async function ticketIdByKey(db: DbOrTx, key: string): Promise<string | null> {
  const [row] = await db.select({ id: ticket.id }).from(ticket).where(eq(ticket.key, key));
  return row?.id ?? null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * The request of the first Message-ID of a thread Guichet knows: one of its own (a request's
 * thread id, or a sent e-mail's id, on BASE_URL's host) or an e-mail it received and posted.
 */
async function ticketOfThread(ctx: AppContext, ids: string[]): Promise<string | null> {
  if (!ids.length) return null;
  const host = new URL(ctx.config.baseUrl).hostname.toLowerCase();
  const ours = new RegExp(`^<(request-)?(${UUID})@${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>$`);
  const threadIds: string[] = [];
  const outboxIds: string[] = [];
  for (const id of ids) {
    const m = ours.exec(id);
    if (m?.[1]) threadIds.push(m[2]!);
    else if (m) outboxIds.push(m[2]!);
  }
  if (threadIds.length) {
    const [row] = await ctx.db.select({ id: ticket.id }).from(ticket).where(inArray(ticket.id, threadIds)).limit(1);
    if (row) return row.id;
  }
  if (outboxIds.length) {
    const [row] = await ctx.db
      .select({ ticketId: outbox.ticketId })
      .from(outbox)
      .where(and(inArray(outbox.id, outboxIds), isNotNull(outbox.ticketId)))
      .limit(1);
    if (row?.ticketId) return row.ticketId;
  }
  const [received] = await ctx.db
    .select({ ticketId: inboundMessage.ticketId })
    .from(inboundMessage)
    .where(and(inArray(inboundMessage.messageId, ids), isNotNull(inboundMessage.ticketId)))
    .limit(1);
  return received?.ticketId ?? null;
}

/** The desk whose own address the message was sent to, with the request type mail opens there. */
async function deskAddressed(db: DbOrTx, recipients: string[]): Promise<{ id: string; requestTypeId: string | null } | null> {
  if (!recipients.length) return null;
  const [found] = await db
    .select({ id: desk.id, requestTypeId: desk.inboundRequestTypeId, typeActive: requestType.active })
    .from(desk)
    .leftJoin(requestType, eq(requestType.id, desk.inboundRequestTypeId))
    .where(and(inArray(desk.inboundAddress, recipients), eq(desk.active, true)))
    .limit(1);
  if (!found) return null;
  // The desk's chosen type, while it is active; otherwise the first suitable one (a type deactivated since).
  if (found.requestTypeId && found.typeActive) return { id: found.id, requestTypeId: found.requestTypeId };
  const [first] = await db
    .select({ id: requestType.id })
    .from(requestType)
    .where(
      and(eq(requestType.deskId, found.id), eq(requestType.active, true), eq(requestType.requiresProject, false), eq(requestType.requiresFlexContract, false)),
    )
    .orderBy(asc(requestType.position), asc(requestType.id))
    .limit(1);
  return { id: found.id, requestTypeId: first?.id ?? null };
}

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|wg|tr|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i;

/** A request's summary from a subject: reply and forward prefixes cut; the text's first line when the subject is empty. */
export function summaryFrom(subject: string, body: string): string {
  const cut = subject.replace(REPLY_PREFIX, '').trim();
  const line =
    cut ||
    body
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ||
    '(no subject)';
  return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1)}…` : line;
}

const clip = (text: string) => (text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text);

/** An agent's mail whose first line is `#internal` is an internal note (the line is not kept). */
export function internalNote(text: string): { internal: boolean; body: string } {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && /^#internal\b/i.test(lines[first]!.trim())) {
    const rest = [lines[first]!.trim().replace(/^#internal\b[:\s]*/i, ''), ...lines.slice(first + 1)].join('\n').trim();
    return { internal: true, body: rest };
  }
  return { internal: false, body: text };
}

const languageOf = (mail: ParsedMail, sender: Sender | null): Language => {
  if (sender && (LANGUAGES as readonly string[]).includes(sender.language)) return sender.language as Language;
  const tag = mail.contentLanguage?.slice(0, 2).toLowerCase();
  return tag && (LANGUAGES as readonly string[]).includes(tag) ? (tag as Language) : 'en';
};

/**
 * The attachments of a message, through the checks of an upload (type, size, the organization's
 * quota, the sender's rate): kept as uploads of the sender, attached with the message; refused
 * ones are listed (the text is posted anyway, and the sender is told).
 */
async function keepAttachments(ctx: AppContext, sender: Sender, mail: ParsedMail): Promise<{ ids: string[]; refused: RefusedAttachment[] }> {
  const ids: string[] = [];
  const refused: RefusedAttachment[] = [];
  for (const file of mail.attachments) {
    if (file.bytes.length > ctx.config.attachmentMaxBytes) {
      refused.push({ fileName: file.fileName, size: file.bytes.length, code: 'attachment.too_large' });
      continue;
    }
    try {
      const kept = await uploadAttachment(ctx, {
        uploader: { id: sender.id, role: roleSchema.parse(sender.role), organizationId: sender.organizationId },
        fileName: file.fileName,
        bytes: file.bytes,
      });
      ids.push(kept.id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push({ fileName: file.fileName, size: file.bytes.length, code: error.code });
    }
  }
  return { ids, refused };
}

/** One polite answer to a sender whose mail could not be taken, at most once an hour per address; never to noise (already filtered). */
async function answerRefusal(ctx: AppContext, tx: DbOrTx, mail: ParsedMail, sender: Sender | null): Promise<void> {
  if (!mail.from) return;
  const allowed = await consumeRate(tx, ctx.clock, `inbound:answer:${mail.from}`, ANSWER_LIMIT);
  if (!allowed.allowed) return;
  await enqueueMail(tx, ctx.mail, {
    to: mail.from,
    language: languageOf(mail, sender),
    template: 'inbound-refused',
    params: { subject: mail.subject || '—', url: `${ctx.config.baseUrl}/` },
  });
}

async function refuse(ctx: AppContext, claimed: Claimed, mail: ParsedMail, sender: Sender | null, outcome: Outcome): Promise<InboundStatus> {
  await ctx.db.transaction(async (tx) => {
    await finish(tx, ctx, claimed.id, mail, outcome);
    await answerRefusal(ctx, tx, mail, sender);
  });
  return outcome.status;
}

async function decide(ctx: AppContext, claimed: Claimed, mail: ParsedMail, options: { rateLimit?: boolean }): Promise<InboundStatus> {
  const own = { hostname: new URL(ctx.config.baseUrl).hostname.toLowerCase(), addresses: [ctx.mail.replyTo.toLowerCase(), addressOf(ctx.config.mailFrom)] };
  const noise = noiseReason(mail, own);
  if (noise) return settle(ctx, claimed.id, mail, { status: 'ignored', reason: noise });
  if (!mail.from) return settle(ctx, claimed.id, mail, { status: 'failed', reason: 'unreadable', detail: 'The message has no sender address (From).' });
  if (options.rateLimit !== false) {
    const room = await consumeRate(ctx.db, ctx.clock, `inbound:sender:${mail.from}`, SENDER_LIMIT);
    if (!room.allowed) return settle(ctx, claimed.id, mail, { status: 'ignored', reason: 'rate_limited' });
  }

  const sender = await findSender(ctx.db, mail.from);
  const { matched } = await matchRequest(ctx, mail);
  if (matched) return applyReply(ctx, claimed, mail, sender, matched);

  const addressed = await deskAddressed(ctx.db, mail.recipients);
  if (addressed) return openRequest(ctx, claimed, mail, sender, addressed);
  return settle(ctx, claimed.id, mail, { status: 'triage', reason: 'no_request' });
}

const addressOf = (from: string) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

async function applyReply(ctx: AppContext, claimed: Claimed, mail: ParsedMail, sender: Sender | null, matched: NonNullable<Matched>): Promise<InboundStatus> {
  const base = { matchedBy: matched.by, ticketId: matched.ticketId };
  // A refused message is tied to no request: its Message-ID must never thread a later mail onto it.
  const refused = { matchedBy: matched.by, ticketId: null, status: 'refused' as const };
  if (!sender || sender.banned) return refuse(ctx, claimed, mail, sender, { ...refused, reason: sender ? 'not_allowed' : 'unknown_sender' });
  const viewer = await viewerOf(ctx.db, sender);
  const staff = isCustomerServices(viewer);
  const [target] = await ctx.db
    .select({
      key: ticket.key,
      status: ticket.status,
      criticality: ticket.criticality,
      visible: canSeeSql(viewer),
      involved: sql<boolean>`(${ticket.reporterId} = ${viewer.id} or exists(select 1 from ${ticketParticipant} where ${ticketParticipant.ticketId} = ${ticket.id} and ${ticketParticipant.userId} = ${viewer.id}))`,
    })
    .from(ticket)
    .where(eq(ticket.id, matched.ticketId));
  // A key in the subject is only a hint: it is taken from the request's reporter, a participant or Customer Services.
  const allowed = target?.visible && (matched.by !== 'subject' || staff || target.involved);
  if (!target || !allowed) return refuse(ctx, claimed, mail, sender, { ...refused, reason: 'not_allowed' });

  const note = staff ? internalNote(mail.reply) : { internal: false, body: mail.reply };
  const files = await keepAttachments(ctx, sender, mail);
  const body = clip(note.body || (files.ids.length ? '📎' : mail.subject || '—'));
  const refusedAttachments = files.refused;
  try {
    if (target.status === 'closed') {
      // A reply to a closed request opens its follow-up, linked to it; the acknowledgement says so.
      await openFollowUp(
        ctx,
        viewer,
        target.key,
        { summary: summaryFrom(mail.subject, body), description: body, criticality: target.criticality },
        {
          attachmentIds: files.ids,
          channel: 'email',
          onCreated: async (tx, created) => {
            await commitWithoutWaiting(tx);
            await finish(tx, ctx, claimed.id, mail, { ...base, status: 'processed', ticketId: created.id, openedRequest: true, refusedAttachments });
            await tellRefusedAttachments(ctx, tx, sender, created.key, refusedAttachments);
          },
        },
      );
      return 'processed';
    }
    await addMessage(
      ctx,
      viewer,
      target.key,
      { body, visibility: note.internal ? 'internal' : 'public', attachmentIds: files.ids },
      {
        onCreated: async (tx, created) => {
          await commitWithoutWaiting(tx);
          await finish(tx, ctx, claimed.id, mail, { ...base, status: 'processed', ticketMessageId: created.id, refusedAttachments });
          await tellRefusedAttachments(ctx, tx, sender, target.key, refusedAttachments);
        },
      },
    );
    return 'processed';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const reason: InboundReason = error.status === 404 || error.status === 403 ? 'not_allowed' : 'request_refused';
    return refuse(ctx, claimed, mail, sender, { ...refused, reason, detail: `${target.key}: ${error.code}: ${error.message}` });
  }
}

async function tellRefusedAttachments(ctx: AppContext, tx: Tx, sender: Sender, key: string, refused: RefusedAttachment[]): Promise<void> {
  if (!refused.length) return;
  await enqueueMail(tx, ctx.mail, {
    to: sender.email,
    language: languageSchema.parse(sender.language),
    template: 'inbound-attachments-refused',
    params: {
      key,
      url: `${ctx.config.baseUrl}/requests/${key}`,
      files: refused.map((f) => f.fileName).join(', '),
      maxMb: Math.round(ctx.config.attachmentMaxBytes / 1024 / 1024),
    },
    userId: sender.id,
  });
}

async function openRequest(
  ctx: AppContext,
  claimed: Claimed,
  mail: ParsedMail,
  sender: Sender | null,
  addressed: { id: string; requestTypeId: string | null },
): Promise<InboundStatus> {
  const held = (reason: InboundReason, detail?: string) =>
    settle(ctx, claimed.id, mail, { status: 'triage', reason, detail: detail ?? null, deskId: addressed.id });
  if (!sender || sender.banned) return held('unknown_sender');
  const viewer = await viewerOf(ctx.db, sender);
  if (!can(viewer, 'openByEmail')) return held('request_refused', 'Customer Services accounts open requests for a customer in the workspace.');
  if (!addressed.requestTypeId) return held('request_refused', 'This desk has no request type that e-mail can open.');
  const files = await keepAttachments(ctx, sender, mail);
  const body = clip(mail.reply || mail.subject || '—');
  try {
    await createTicket(
      ctx,
      viewer,
      {
        requestTypeId: addressed.requestTypeId,
        summary: summaryFrom(mail.subject, body),
        description: body,
        criticality: 'medium',
        projectId: null,
        attachmentIds: files.ids,
        participantIds: [],
      },
      {
        channel: 'email',
        onCreated: async (tx, created) => {
          await commitWithoutWaiting(tx);
          await finish(tx, ctx, claimed.id, mail, {
            status: 'processed',
            matchedBy: 'desk_address',
            ticketId: created.id,
            openedRequest: true,
            deskId: addressed.id,
            refusedAttachments: files.refused,
          });
          await tellRefusedAttachments(ctx, tx, sender, created.key, files.refused);
        },
      },
    );
    return 'processed';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return held('request_refused', `${error.code}: ${error.message}`);
  }
}

/**
 * Takes a message for processing: one still `received` whose lease has run out (a crash, or a
 * re-process). Returns what processing needs, or null when another process holds it.
 */
export async function claimInbound(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, id: string): Promise<(Claimed & { raw: Buffer }) | null> {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .update(inboundMessage)
    .set({ claimedUntil: new Date(now.getTime() + PROCESSING_LEASE_MS), attempts: sql`${inboundMessage.attempts} + 1` })
    .where(
      and(eq(inboundMessage.id, id), eq(inboundMessage.status, 'received'), or(isNull(inboundMessage.claimedUntil), lte(inboundMessage.claimedUntil, now))),
    )
    .returning({ id: inboundMessage.id, toAddresses: inboundMessage.toAddresses });
  return row ? { ...row, raw: await readRaw(ctx.config.dataDir, row.id) } : null;
}

/** Messages stored but never finished (a crash while processing), whose lease has run out: processed now, once each. */
export async function processPendingInbound(ctx: AppContext, options: { limit?: number } = {}): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ id: inboundMessage.id })
    .from(inboundMessage)
    .where(and(eq(inboundMessage.status, 'received'), or(isNull(inboundMessage.claimedUntil), lte(inboundMessage.claimedUntil, now))))
    .orderBy(asc(inboundMessage.receivedAt))
    .limit(options.limit ?? 50);
  let done = 0;
  for (const { id } of due) {
    const claimed = await claimInbound(ctx, id);
    if (!claimed) continue;
    await processClaimed(ctx, claimed, claimed.raw);
    done++;
  }
  return done;
}
