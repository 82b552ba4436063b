import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { satisfactionSurvey } from '../../db/schema.ts';
import { notifyCustomers } from '../tickets/notify-customers.ts';
import { createSurveyToken, SURVEY_LINK_DAYS } from './survey-token.ts';

const DAY_MS = 86_400_000;

/**
 * A request has closed: its reporter is asked for a rating, by a signed e-mail link and on the
 * request's page. Once per request, in the caller's transaction. The e-mail goes to the reporter
 * only while they may read the request (the same rule as every customer e-mail about it).
 */
export async function askSurvey(tx: DbOrTx, ctx: Pick<AppContext, 'clock' | 'mail' | 'config'>, ticketId: string): Promise<void> {
  const now = ctx.clock.now();
  const [t] = await tx.select({ deskId: ticket.deskId, reporterId: ticket.reporterId }).from(ticket).where(eq(ticket.id, ticketId));
  if (!t) return;
  const inserted = await tx
    .insert(satisfactionSurvey)
    .values({ ticketId, deskId: t.deskId, reporterId: t.reporterId, askedAt: now })
    .onConflictDoNothing()
    .returning({ ticketId: satisfactionSurvey.ticketId });
  if (!inserted.length) return;
  const token = createSurveyToken(ctx.config.authSecret, ticketId, new Date(now.getTime() + SURVEY_LINK_DAYS * DAY_MS));
  await notifyCustomers(tx, ctx, {
    ticketId,
    template: 'survey-invitation',
    reporterOnly: true,
    params: (_language, base) => ({ ...base, url: `${ctx.config.baseUrl}/survey/${token}` }),
  });
}
