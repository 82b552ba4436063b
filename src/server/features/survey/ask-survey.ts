import { eq } from 'drizzle-orm';
import { languageSchema } from '#shared/domain.ts';
import type { AppContext } from '../../app.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket, user } from '../../db/schema.ts';
import { satisfactionSurvey } from '../../db/schema-lifecycle.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import { createSurveyToken, SURVEY_LINK_DAYS } from './survey-token.ts';

const DAY_MS = 86_400_000;

/**
 * A request has closed: its reporter is asked for a rating, by a signed e-mail link and on the
 * request's page. Once per request, in the caller's transaction.
 */
export async function askSurvey(tx: DbOrTx, ctx: Pick<AppContext, 'clock' | 'mail' | 'config'>, ticketId: string): Promise<void> {
  const now = ctx.clock.now();
  const [t] = await tx
    .select({ key: ticket.key, summary: ticket.summary, deskId: ticket.deskId, reporterId: ticket.reporterId, email: user.email, language: user.language, role: user.role, banned: user.banned })
    .from(ticket)
    .innerJoin(user, eq(user.id, ticket.reporterId))
    .where(eq(ticket.id, ticketId));
  if (!t) return;
  const inserted = await tx
    .insert(satisfactionSurvey)
    .values({ ticketId, deskId: t.deskId, reporterId: t.reporterId, askedAt: now })
    .onConflictDoNothing()
    .returning({ ticketId: satisfactionSurvey.ticketId });
  if (!inserted.length || t.role !== 'customer' || t.banned) return;
  const token = createSurveyToken(ctx.config.authSecret, ticketId, new Date(now.getTime() + SURVEY_LINK_DAYS * DAY_MS));
  await enqueueMail(tx, ctx.mail, {
    to: t.email,
    language: languageSchema.catch('fr').parse(t.language),
    template: 'survey-invitation',
    params: { key: t.key, summary: t.summary, url: `${ctx.config.baseUrl}/survey/${token}` },
    userId: t.reporterId,
    ticketId,
  });
}

