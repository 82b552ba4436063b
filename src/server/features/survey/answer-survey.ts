import { and, eq, isNull } from 'drizzle-orm';
import type { SurveyAnswerInput } from '#shared/lifecycle-api.ts';
import { surveyAnswerSchema } from '#shared/lifecycle-api.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';
import { satisfactionSurvey } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { requestRecipients } from '../tickets/notify-customers.ts';
import { loadTicketFor, type Viewer } from '../../policies/tickets.ts';
import { verifySurveyToken } from './survey-token.ts';
import { publish } from '../../events/publish.ts';

/** A forged, altered or expired link, and a link to a survey that does not exist, all look the same. */
const linkNotFound = () => new AppError(404, 'survey.link_invalid', 'This survey link is not valid or has expired.');

type AnswerCtx = Pick<AppContext, 'db' | 'clock' | 'config' | 'mail'> & { boss?: AppContext['boss'] };

async function saveAnswer(ctx: AnswerCtx, ticketId: string, input: SurveyAnswerInput): Promise<void> {
  const { rating, comment } = surveyAnswerSchema.parse(input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx: DbOrTx) => {
    const updated = await tx
      .update(satisfactionSurvey)
      .set({ rating, comment: comment || null, answeredAt: now })
      // Only the first answer counts, even when two arrive at once.
      .where(and(eq(satisfactionSurvey.ticketId, ticketId), isNull(satisfactionSurvey.answeredAt)))
      .returning({ ticketId: satisfactionSurvey.ticketId });
    if (!updated.length) throw new AppError(409, 'survey.already_answered', 'This survey has already been answered.');
    await publish(tx, ctx, { type: 'survey.answered', ticketId, rating, comment: comment || null, at: now });
  });
}

/**
 * The request of a survey link, verified: the link stands for the reporter, so it works only while
 * the reporter may read the request (moved to another organization, made staff or deactivated: it
 * no longer opens, like any customer e-mail about the request, which stops reaching them).
 */
async function verifiedLink(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, token: string): Promise<{ ticketId: string }> {
  const verified = verifySurveyToken(ctx.config.authSecret, token, ctx.clock.now());
  if (!verified) throw linkNotFound();
  const [reporter] = await requestRecipients(ctx.db, verified.ticketId, { reporterOnly: true });
  if (!reporter) throw linkNotFound();
  return verified;
}

/** What the e-mail link opens: the request's key and summary, and whether it was answered. */
export async function surveyByLink(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, token: string) {
  const verified = await verifiedLink(ctx, token);
  const [row] = await ctx.db
    .select({ key: ticket.key, summary: ticket.summary, rating: satisfactionSurvey.rating })
    .from(satisfactionSurvey)
    .innerJoin(ticket, eq(ticket.id, satisfactionSurvey.ticketId))
    .where(eq(satisfactionSurvey.ticketId, verified.ticketId));
  if (!row) throw linkNotFound();
  return { key: row.key, summary: row.summary, answered: row.rating !== null, rating: row.rating };
}

/** An answer through the e-mail's signed link: the link stands for the reporter. */
export async function answerByLink(ctx: AnswerCtx, token: string, input: SurveyAnswerInput): Promise<void> {
  const verified = await verifiedLink(ctx, token);
  const [row] = await ctx.db
    .select({ ticketId: satisfactionSurvey.ticketId })
    .from(satisfactionSurvey)
    .where(eq(satisfactionSurvey.ticketId, verified.ticketId));
  if (!row) throw linkNotFound();
  await saveAnswer(ctx, row.ticketId, input);
}

/** An answer on the request's page: only its reporter may answer (DESIGN.md §1). */
export async function answerOnPage(ctx: AnswerCtx, viewer: Viewer, key: string, input: SurveyAnswerInput): Promise<void> {
  const access = await loadTicketFor(ctx.db, viewer, key);
  const [survey] = await ctx.db
    .select({ reporterId: satisfactionSurvey.reporterId })
    .from(satisfactionSurvey)
    .where(eq(satisfactionSurvey.ticketId, access.id));
  if (!survey) throw new AppError(409, 'survey.not_asked', 'This request has no satisfaction survey: it is not closed.');
  if (survey.reporterId !== viewer.id) throw new AppError(403, 'survey.reporter_only', 'Only the person who opened the request answers its survey.');
  await saveAnswer(ctx, access.id, input);
}
