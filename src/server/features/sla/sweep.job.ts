import { and, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { defineJob, noPayload, workJob } from '../../jobs/define-job.ts';
import { LOCALES, type Language } from '#shared/domain.ts';
import { CRITICALITY_LABELS } from '#shared/tickets.ts';
import type { AppContext } from '../../context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { deskMember, slaClock, ticket, user } from '../../db/schema.ts';
import { enqueueMail, type MailToWrite } from '../mail/enqueue-mail.ts';
import { notify } from '../mail/notify.ts';
import { contactsOf } from '../escalation/escalation-matrix.ts';
import { loadCalendarConfig } from '../calendar/calendar-store.ts';
import { recordSlaHistory } from './ticket-history.ts';
import { publish } from '../../events/publish.ts';
import { activeUser } from '../users/user-rules.ts';
import { staffAccount } from '../../policies/accounts.ts';

/*
 * The SLA sweep (DESIGN.md §2): every minute, the clocks whose 75 %, target or twice-the-target
 * instant has passed and whose notice is not yet sent are read through their partial indexes, in
 * batches, locked with SKIP LOCKED so several instances share the work. The notice's column is set
 * in the same transaction as its outbox rows: each notice goes out once per clock and cycle, and a
 * re-target that moves the instants never sends it again. Its cost depends on the due clocks only.
 */

type SweepCtx = Pick<AppContext, 'db' | 'clock' | 'mail' | 'config'>;
export type Threshold = 'warning' | 'breach' | 'level3';

const COLUMNS = {
  warning: { due: slaClock.warnAt, sent: slaClock.warnedAt, template: 'sla-warning' },
  breach: { due: slaClock.deadline, sent: slaClock.breachNotifiedAt, template: 'sla-breach' },
  level3: { due: slaClock.level3At, sent: slaClock.level3NotifiedAt, template: 'sla-level3' },
} as const;

const CLOCK_NAMES: Record<'engagement' | 'resolution', Record<Language, string>> = {
  engagement: { fr: 'prise en charge', de: 'Reaktion', en: 'engagement' },
  resolution: { fr: 'résolution', de: 'Lösung', en: 'resolution' },
};

const formatTarget = (minutes: number, language: Language) => {
  const hours = minutes / 60;
  const unit = { fr: 'heures ouvrées', de: 'Geschäftsstunden', en: 'business hours' }[language];
  return Number.isInteger(hours) ? `${hours} ${unit}` : `${minutes} min`;
};

/** The notice in the request's internal history, for agents. */
const HISTORY_FIELDS = { warning: 'sla_warning', breach: 'sla_breach', level3: 'sla_level3' } as const;

export type SweepResult = Record<Threshold, number>;

export async function runSlaSweep(ctx: SweepCtx, options: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 100;
  const result: SweepResult = { warning: 0, breach: 0, level3: 0 };
  const { timeZone } = await loadCalendarConfig(ctx.db);
  for (const threshold of ['warning', 'breach', 'level3'] as const) {
    for (let batch = 0; batch < maxBatches; batch++) {
      const handled = await ctx.db.transaction((tx) => notifyBatch(tx, ctx, threshold, batchSize, timeZone));
      result[threshold] += handled;
      if (handled < batchSize) break;
    }
  }
  return result;
}

async function notifyBatch(tx: DbOrTx, ctx: SweepCtx, threshold: Threshold, batchSize: number, timeZone: string): Promise<number> {
  const { template } = COLUMNS[threshold];
  const now = ctx.clock.now();
  const clocks = await dueClocksQuery(tx, threshold, now, batchSize);
  for (const c of clocks) {
    const [t] = await tx
      .select({ key: ticket.key, summary: ticket.summary, deskId: ticket.deskId, assigneeId: ticket.assigneeId })
      .from(ticket)
      .where(eq(ticket.id, c.ticketId));
    const recipients =
      threshold === 'warning' ? await agentsToWarn(tx, t!.deskId, t!.assigneeId) : await contactsOf(tx, t!.deskId, threshold === 'breach' ? 2 : 3);
    // The breach instant of a clock whose target was raised after breaching may be null now; say the target's.
    const deadline = c.deadline ?? null;
    for (const r of recipients) {
      const language = r.language;
      // Escalation contacts are not necessarily users: a user is notified (in the app, and by e-mail as
      // they chose); a contact without an account gets the e-mail.
      const userId = 'userId' in r ? r.userId : null;
      const send = <T extends typeof template>(mail: MailToWrite<T>) =>
        userId ? notify(tx, ctx.mail, { ...mail, userId, ticketId: c.ticketId }) : enqueueMail(tx, ctx.mail, mail);
      await send({
        to: r.email,
        language,
        template,
        ticketId: c.ticketId,
        // Per language: the in-app notification's title is written in every language.
        params: (language) => ({
          key: t!.key,
          summary: t!.summary,
          url: `${ctx.config.baseUrl}/requests/${t!.key}`,
          clock: CLOCK_NAMES[c.kind][language],
          criticality: CRITICALITY_LABELS[c.criticality][language],
          deadline: deadline ? new Intl.DateTimeFormat(LOCALES[language], { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(deadline) : '—',
          target: formatTarget(c.targetMinutes, language),
        }),
      });
    }
    await tx
      .update(slaClock)
      .set({ [threshold === 'warning' ? 'warnedAt' : threshold === 'breach' ? 'breachNotifiedAt' : 'level3NotifiedAt']: now })
      .where(eq(slaClock.id, c.id));
    await recordSlaHistory(tx, { ticketId: c.ticketId, at: now, actorId: null }, [{ field: HISTORY_FIELDS[threshold], to: c.kind }]);
    await publish(tx, ctx, {
      type: 'sla.threshold_reached',
      ticketId: c.ticketId,
      threshold,
      clock: c.kind,
      targetMinutes: c.targetMinutes,
      deadline,
      at: now,
    });
  }
  return clocks.length;
}

/**
 * The clocks whose threshold instant has passed and whose notice is not sent, oldest first, locked
 * (SKIP LOCKED: instances share the work). Exported for the benchmark's EXPLAIN.
 */
export function dueClocksQuery(tx: DbOrTx, threshold: Threshold, now: Date, batchSize: number) {
  const { due, sent } = COLUMNS[threshold];
  return (
    tx
      .select({
        id: slaClock.id,
        kind: slaClock.kind,
        criticality: slaClock.criticality,
        targetMinutes: slaClock.targetMinutes,
        deadline: slaClock.deadline,
        startedAt: slaClock.startedAt,
        ticketId: slaClock.ticketId,
      })
      .from(slaClock)
      // The predicate repeats the partial index's, so the planner reads only the due rows.
      .where(and(isNotNull(due), isNull(sent), lte(due, now)))
      .orderBy(due)
      .limit(batchSize)
      .for('update', { skipLocked: true })
  );
}

/** The assignee, or the desk's agents when unassigned. */
async function agentsToWarn(tx: DbOrTx, deskId: string, assigneeId: string | null) {
  const active = activeUser();
  if (assigneeId)
    return tx
      .select({ userId: user.id, email: user.email, language: user.language })
      .from(user)
      .where(and(eq(user.id, assigneeId), active));
  return tx
    .select({ userId: user.id, email: user.email, language: user.language })
    .from(deskMember)
    .innerJoin(user, eq(user.id, deskMember.userId))
    .where(and(eq(deskMember.deskId, deskId), staffAccount(), active));
}

export const SLA_SWEEP_CRON = '* * * * *';

/** Every minute; a sweep that fails is simply done again by the next one: no retries, and old sweeps expire quickly. */
export const slaSweepJob = defineJob({
  name: 'sla.sweep',
  payload: noPayload,
  queue: { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3600 },
  schedule: { cron: SLA_SWEEP_CRON },
  handler: (_payload, ctx: SweepCtx & { batchSize?: number }) => runSlaSweep(ctx, ctx.batchSize ? { batchSize: ctx.batchSize } : {}),
});

/** Works the sweep queue; with `schedule`, pg-boss also queues a sweep every minute (once across instances). */
export async function startSlaWorker(
  boss: PgBoss,
  ctx: SweepCtx,
  options: { schedule?: boolean; pollingIntervalSeconds?: number; batchSize?: number } = {},
): Promise<string> {
  const { batchSize, ...work } = options;
  return workJob(boss, slaSweepJob, batchSize ? { ...ctx, batchSize } : ctx, work);
}
