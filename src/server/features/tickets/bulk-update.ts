import type { BulkAction, BulkUpdateResult } from '#shared/tickets-bulk-api.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { changeStatus } from './change-status.ts';
import type { Viewer } from '../../policies/tickets.ts';
import { assertStaff } from '../../policies/can.ts';
import { updateTicket } from './update-ticket.ts';

/**
 * Assigns or moves many requests to a status from the workspace. Each request goes through the very
 * command a change of one request uses (its policy, its rules, the reactions to its events), in its own
 * transaction: a refused request is reported with its error code and leaves the others applied.
 * One after the other, never in parallel: PGlite has one connection, and PostgreSQL gains nothing
 * from an agent's hundred changes racing for the same rows.
 */
export async function bulkUpdate(ctx: AppContext, viewer: Viewer, input: { keys: string[]; action: BulkAction }): Promise<BulkUpdateResult> {
  assertStaff(viewer);
  const { action } = input;
  const items: BulkUpdateResult['items'] = [];
  for (const key of input.keys) {
    try {
      if (action.type === 'assign') await updateTicket(ctx, viewer, key, { assigneeId: action.assigneeId });
      else await changeStatus(ctx, viewer, key, { to: action.to, ...(action.reason ? { reason: action.reason } : {}) });
      items.push({ key, ok: true });
    } catch (error) {
      // Anything but a refusal (a lost database, a bug) stops the batch as a 500, as it would for one request.
      if (!(error instanceof AppError)) throw error;
      items.push({ key, ok: false, error: { code: error.code, status: error.status, message: error.message } });
    }
  }
  const succeeded = items.filter((i) => i.ok).length;
  return { items, succeeded, failed: items.length - succeeded };
}
