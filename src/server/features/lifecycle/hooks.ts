import type { Status } from '#shared/tickets.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { askSurvey } from '../survey/ask-survey.ts';
import { restartCountdown } from './countdown.ts';

/*
 * Where the tickets feature tells automatic closure what happened, in its own transaction
 * (DESIGN.md §2): any status change or public reply restarts or cancels the countdown; internal
 * notes do not. A closure asks the reporter for a rating.
 */

export async function onLifecycleStatusChange(tx: DbOrTx, ctx: Pick<AppContext, 'clock' | 'mail' | 'config'>, ticketId: string, to: Status): Promise<void> {
  await restartCountdown(tx, ctx, ticketId);
  if (to === 'closed') await askSurvey(tx, ctx, ticketId);
}

export async function onPublicReply(tx: DbOrTx, ctx: Pick<AppContext, 'clock'>, ticketId: string): Promise<void> {
  await restartCountdown(tx, ctx, ticketId);
}
