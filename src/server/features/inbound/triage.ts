import { and, eq } from 'drizzle-orm';
import type { OpenFromTriageInput, TriageItem } from '#shared/inbound-api.ts';
import { openFromTriageSchema } from '#shared/inbound-api.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { inboundMessage } from '../../db/schema.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { assertStaff, can } from '../../policies/can.ts';
import { triageCondition, type Viewer } from '../../policies/tickets.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { uploadAttachment } from '../attachments/upload-attachment.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { parseMail, visibleReply } from './parse-mail.ts';
import { readRaw } from './raw-store.ts';
import { summaryFrom } from './process-inbound.ts';

/** The "e-mail to triage" queue, newest first (inbound_message_triage_idx). */
export async function listTriage(
  ctx: Pick<AppContext, 'db'>,
  viewer: Viewer,
  query: { cursor?: string | undefined; limit: number; deskId?: string | undefined },
) {
  assertStaff(viewer);
  const rows = await ctx.db
    .select({
      id: inboundMessage.id,
      from: inboundMessage.fromAddress,
      fromName: inboundMessage.fromName,
      subject: inboundMessage.subject,
      text: inboundMessage.text,
      receivedAt: inboundMessage.receivedAt,
      deskId: inboundMessage.deskId,
      reason: inboundMessage.reason,
      detail: inboundMessage.detail,
      cursorAt: cursorAt(inboundMessage.receivedAt),
    })
    .from(inboundMessage)
    .where(
      and(
        eq(inboundMessage.status, 'triage'),
        triageCondition(viewer, inboundMessage.deskId),
        query.deskId ? eq(inboundMessage.deskId, query.deskId) : undefined,
        afterCursor(query.cursor, inboundMessage.receivedAt, inboundMessage.id),
      ),
    )
    .orderBy(...keysetOrder(inboundMessage.receivedAt, inboundMessage.id))
    .limit(query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (r): TriageItem => ({
      id: r.id,
      from: r.from,
      fromName: r.fromName,
      subject: r.subject,
      text: visibleReply(r.text ?? ''),
      receivedAt: r.receivedAt.toISOString(),
      deskId: r.deskId,
      reason: r.reason,
      detail: r.detail,
    }),
  );
}

async function heldFor(ctx: Pick<AppContext, 'db'>, viewer: Viewer, id: string) {
  assertStaff(viewer);
  const [row] = await ctx.db
    .select({
      id: inboundMessage.id,
      status: inboundMessage.status,
      deskId: inboundMessage.deskId,
      from: inboundMessage.fromAddress,
      subject: inboundMessage.subject,
    })
    .from(inboundMessage)
    .where(eq(inboundMessage.id, id));
  // Another desk's held mail does not exist for an agent.
  if (!row || !can(viewer, 'triageMail', { deskId: row.deskId })) throw notFound('inbound_message');
  if (row.status !== 'triage') throw conflict('inbound.not_in_triage', 'This e-mail is no longer waiting for triage.');
  return row;
}

/**
 * Opens a request from a held e-mail, for the customer the agent chose: its summary is the
 * subject, its description what the sender wrote, its attachments those of the mail (checked as
 * uploads, by the agent). The e-mail is then processed, linked to the request; audited.
 */
export async function openFromTriage(ctx: AppContext, viewer: Viewer, id: string, input: OpenFromTriageInput): Promise<{ key: string }> {
  const data = openFromTriageSchema.parse(input);
  const held = await heldFor(ctx, viewer, id);
  const mail = await parseMail(await readRaw(ctx.config.dataDir, held.id));
  const attachmentIds: string[] = [];
  for (const file of mail.attachments) {
    if (file.bytes.length > ctx.config.attachmentMaxBytes) continue;
    try {
      attachmentIds.push((await uploadAttachment(ctx, { uploader: viewer, fileName: file.fileName, bytes: file.bytes })).id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
  }
  const body = mail.reply || mail.subject || '—';
  const created = await createTicket(
    ctx,
    viewer,
    {
      requestTypeId: data.requestTypeId,
      reporterId: data.reporterId,
      projectId: data.projectId ?? null,
      summary: summaryFrom(mail.subject, body),
      description: body.slice(0, 50_000),
      criticality: data.criticality,
      attachmentIds,
      participantIds: [],
    },
    {
      onCreated: (tx, created) =>
        leaveTriage(tx, ctx, viewer, held, {
          outcome: { status: 'processed', ticketId: created.id, openedRequest: true, matchedBy: 'desk_address' },
          action: 'inbound.triage_opened',
          details: { key: created.key },
        }),
    },
  );
  return { key: created.key };
}

/** Drops a held e-mail from the queue (spam, a duplicate): kept in the log as dismissed; audited. */
export async function dismissTriage(ctx: AppContext, viewer: Viewer, id: string): Promise<void> {
  const held = await heldFor(ctx, viewer, id);
  await ctx.db.transaction((tx) => leaveTriage(tx, ctx, viewer, held, { outcome: { status: 'dismissed' }, action: 'inbound.triage_dismissed', details: {} }));
}

/** Takes a held e-mail out of triage with its outcome, audited, once: a second agent finds it handled (409). */
async function leaveTriage(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  viewer: Viewer,
  held: { id: string; from: string; subject: string },
  change: {
    outcome: Partial<typeof inboundMessage.$inferInsert> & { status: 'processed' | 'dismissed' };
    action: 'inbound.triage_opened' | 'inbound.triage_dismissed';
    details: Record<string, unknown>;
  },
): Promise<void> {
  const now = ctx.clock.now();
  const [done] = await tx
    .update(inboundMessage)
    .set({ ...change.outcome, processedAt: now })
    .where(and(eq(inboundMessage.id, held.id), eq(inboundMessage.status, 'triage')))
    .returning({ id: inboundMessage.id });
  if (!done) throw conflict('inbound.not_in_triage', 'This e-mail is no longer waiting for triage.');
  await recordAudit(tx, {
    at: now,
    actorId: viewer.id,
    action: change.action,
    targetType: 'inbound_message',
    targetId: held.id,
    details: { from: held.from, subject: held.subject, ...change.details },
  });
}
