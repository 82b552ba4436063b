import { eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { organization, requestType, user } from '../db/schema.ts';
import { organizationContract } from '../db/schema.ts';
import { businessToday } from '../features/calendar/business-day.ts';
import { createTicket } from '../features/tickets/create-ticket.ts';
import { loadViewer } from '../policies/tickets.ts';
import { addPurchase } from '../features/flex/add-purchase.ts';
import { runBilling } from '../features/flex/run-billing.ts';
import { logTime } from '../features/flex/time-entries.ts';

const daysBefore = (today: string, days: number) => new Date(Date.parse(`${today}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * Demo Flex data for Alpina (after seedDemo): 40 hours bought, a low-balance threshold of 10 hours,
 * a Solva Flex request with time logged by the Support agent, partly billed, so `npm start` shows a
 * balance, a statement and unbilled time.
 */
export async function seedDemoFlex(ctx: AppContext, emails: { customer: string; agent: string; admin: string }): Promise<void> {
  const people = await ctx.db
    .select({ id: user.id, name: user.name, email: user.email, role: user.role, language: user.language, organizationId: user.organizationId })
    .from(user)
    .where(inArray(user.email, [emails.customer, emails.agent, emails.admin]));
  const find = async (email: string) => {
    const p = people.find((u) => u.email === email);
    return p ? loadViewer(ctx.db, p) : null;
  };
  const [customer, agent, admin] = [await find(emails.customer), await find(emails.agent), await find(emails.admin)];
  const [solvaFlex] = await ctx.db.select({ id: requestType.id }).from(requestType).where(eq(requestType.slug, 'solva-flex'));
  if (!customer?.organizationId || !agent || !admin || !solvaFlex) return;
  const [org] = await ctx.db.select({ id: organization.id }).from(organization).where(eq(organization.id, customer.organizationId));
  if (!org) return;
  const today = await businessToday(ctx.db, ctx.clock);
  await addPurchase(ctx, { actorId: admin.id, organizationId: org.id, input: { purchasedOn: daysBefore(today, 60), hours: 40, reference: 'PO-2026-014' } });
  await ctx.db
    .insert(organizationContract)
    .values({ organizationId: org.id, lowBalanceThresholdMinutes: 600, zeroBalancePolicy: 'warn', updatedAt: ctx.clock.now() })
    .onConflictDoNothing();
  const request = await createTicket(ctx, customer, {
    requestTypeId: solvaFlex.id,
    summary: 'Nouveau champ « centre de coût » sur les commandes',
    description: 'Nous souhaitons saisir un centre de coût sur chaque commande fournisseur et le retrouver dans les exports.',
    criticality: 'medium',
    projectId: null,
    participantIds: [],
    attachmentIds: [],
  });
  const log = (daysAgo: number, minutes: number, description: string, billable = true) =>
    logTime(ctx, agent, request.key, { workedOn: daysBefore(today, daysAgo), minutes, description, billable });
  await log(20, 90, 'Analyse du besoin avec le client');
  await log(15, 240, 'Développement du champ et des écrans');
  await log(15, 30, 'Point interne', false);
  await runBilling(ctx, { periodStart: daysBefore(today, 45), periodEnd: daysBefore(today, 10), trigger: 'admin', actorId: admin.id });
  await log(3, 120, 'Adaptation des exports');
}
