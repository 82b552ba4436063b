import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import {
  webhookSubscriptionInputSchema,
  type WebhookSubscription,
  type WebhookSubscriptionDetail,
  type WebhookSubscriptionInput,
  type WebhookSubscriptionUpdate,
} from '#shared/webhooks-api.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, webhookSubscription } from '../../db/schema.ts';
import { badRequest, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkWebhookUrl } from './url-safety.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;
type Row = typeof webhookSubscription.$inferSelect;

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export const presentSubscription = (r: Row): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: r.events,
  deskId: r.deskId,
  includeInternal: r.includeInternal,
  enabled: r.enabled,
  consecutiveFailures: r.consecutiveFailures,
  disabledAt: r.disabledAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const detail = (r: Row): WebhookSubscriptionDetail => ({ ...presentSubscription(r), secret: r.secret });

async function checkDesk(db: DbOrTx, deskId: string | null | undefined) {
  if (!deskId) return;
  const [row] = await db.select({ id: desk.id }).from(desk).where(eq(desk.id, deskId));
  if (!row) throw badRequest('webhook.desk_unknown', 'This desk does not exist.', 'deskId');
}

export async function loadSubscription(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(webhookSubscription).where(eq(webhookSubscription.id, id));
  if (!row) throw notFound('webhook');
  return row;
}

export async function listSubscriptions(ctx: Ctx): Promise<WebhookSubscription[]> {
  const rows = await ctx.db.select().from(webhookSubscription).orderBy(desc(webhookSubscription.createdAt));
  return rows.map(presentSubscription);
}

export async function getSubscription(ctx: Ctx, id: string): Promise<WebhookSubscriptionDetail> {
  return detail(await loadSubscription(ctx.db, id));
}

export async function createSubscription(ctx: Ctx, actorId: string, input: WebhookSubscriptionInput): Promise<WebhookSubscriptionDetail> {
  const v = webhookSubscriptionInputSchema.parse(input);
  const url = checkWebhookUrl(v.url, ctx.config.webhookAllowedHosts).toString();
  return ctx.db.transaction(async (tx) => {
    await checkDesk(tx, v.deskId);
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(webhookSubscription)
      .values({
        url,
        description: v.description,
        events: [...new Set(v.events)],
        deskId: v.deskId,
        includeInternal: v.includeInternal,
        enabled: v.enabled,
        secret: newSecret(),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, { at: now, actorId, action: 'webhook.created', targetType: 'webhook', targetId: row!.id, details: { url, events: row!.events } });
    return detail(row!);
  });
}

export async function updateSubscription(ctx: Ctx, actorId: string, id: string, input: WebhookSubscriptionUpdate): Promise<WebhookSubscriptionDetail> {
  const url = input.url === undefined ? undefined : checkWebhookUrl(input.url, ctx.config.webhookAllowedHosts).toString();
  return ctx.db.transaction(async (tx) => {
    const before = await loadSubscription(tx, id);
    await checkDesk(tx, input.deskId);
    const now = ctx.clock.now();
    const enabling = input.enabled === true && !before.enabled;
    const [row] = await tx
      .update(webhookSubscription)
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
        ...(input.deskId !== undefined ? { deskId: input.deskId } : {}),
        ...(input.includeInternal !== undefined ? { includeInternal: input.includeInternal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        // Enabled again by an administrator: the failures count anew.
        ...(enabling ? { consecutiveFailures: 0, disabledAt: null } : {}),
        updatedAt: now,
      })
      .where(eq(webhookSubscription.id, id))
      .returning();
    const changed = Object.fromEntries(
      Object.entries(input).filter(([k, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(before[k as keyof Row])),
    );
    await recordAudit(tx, { at: now, actorId, action: 'webhook.updated', targetType: 'webhook', targetId: id, details: { url: row!.url, changed } });
    return detail(row!);
  });
}

export async function deleteSubscription(ctx: Ctx, actorId: string, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await loadSubscription(tx, id);
    await tx.delete(webhookSubscription).where(eq(webhookSubscription.id, id));
    await recordAudit(tx, { at: ctx.clock.now(), actorId, action: 'webhook.deleted', targetType: 'webhook', targetId: id, details: { url: before.url } });
  });
}

/** A new signing secret; the old one stops signing at once (receivers must be given the new one). */
export async function rotateSecret(ctx: Ctx, actorId: string, id: string): Promise<WebhookSubscriptionDetail> {
  return ctx.db.transaction(async (tx) => {
    await loadSubscription(tx, id);
    const now = ctx.clock.now();
    const [row] = await tx.update(webhookSubscription).set({ secret: newSecret(), updatedAt: now }).where(eq(webhookSubscription.id, id)).returning();
    await recordAudit(tx, { at: now, actorId, action: 'webhook.secret_rotated', targetType: 'webhook', targetId: id, details: { url: row!.url } });
    return detail(row!);
  });
}
