import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, max, sql, type SQLWrapper } from 'drizzle-orm';
import { isFinal, type Criticality, type Status } from '#shared/tickets.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { requestType, slaCalendar, slaClock, slaClockEvent, slaPolicy } from '../../db/schema.ts';
import type { BusinessCalendar } from '../calendar/business-calendar.ts';
import { CALENDAR_ROW, calendarFor, loadCalendar } from '../calendar/calendar-store.ts';
import { parseCalendarConfig } from '../calendar/calendar-config.ts';
import type { ClockEventKind, ClockKind } from '#shared/sla-api.ts';
import { MINUTE_MS, elapsedMs, segmentsOf, thresholdsOf } from './clock-math.ts';
import { policyInForce, targetOf } from './policies.ts';
import { recordSlaHistory } from './ticket-history.ts';
import { eventsOf } from './clock-events.ts';

/*
 * The SLA clocks of a request (DESIGN.md §2). They react to the requests' events (wired in
 * src/server/subscribers.ts) inside the command's transaction, with the request row locked:
 * creation starts the clocks, every status change goes through onStatusChange, criticality and
 * request-type changes re-target, the first public agent reply stops engagement. Each change appends clock events, then re-derives the stored threshold instants.
 */

type Ctx = { clock: Clock };
export type ClockRow = typeof slaClock.$inferSelect;
export type { ClockKind };

async function addEvent(tx: DbOrTx, clockId: string, at: Date, kind: ClockEventKind, details: Record<string, unknown> = {}) {
  await tx.insert(slaClockEvent).values({ clockId, at, kind, details });
}

/** Re-derives and stores the threshold instants of clocks from their events and targets. */
export async function refreshClocks(tx: DbOrTx, calendar: BusinessCalendar, clocks: Pick<ClockRow, 'id' | 'targetMinutes' | 'stoppedAt'>[]) {
  const events = await eventsOf(
    tx,
    clocks.map((c) => c.id),
  );
  for (const c of clocks) {
    const thresholds = thresholdsOf(calendar, segmentsOf(events.get(c.id) ?? []), c.targetMinutes, c.stoppedAt !== null);
    await tx.update(slaClock).set(thresholds).where(eq(slaClock.id, c.id));
  }
}

async function runningClocks(tx: DbOrTx, ticketId: string, kind?: ClockKind) {
  return tx
    .select()
    .from(slaClock)
    .where(and(eq(slaClock.ticketId, ticketId), isNull(slaClock.stoppedAt), kind ? eq(slaClock.kind, kind) : undefined))
    .for('update');
}

/**
 * The writes that start engagement and resolution of a new request under the policy in force now;
 * the caller checks that the request type is under SLA and writes them with the request. A new
 * clock's only event is its start, so its thresholds are computed here, before inserting: on the
 * hot path of every creation this costs one read (the policy and the calendar together).
 */
export async function prepareClockStart(
  db: DbOrTx,
  t: { ticketId: string; requestTypeId: string; criticality: Criticality; now: Date },
): Promise<SQLWrapper[]> {
  const { policy, calendar } = await policyAndCalendar(db, t.requestTypeId, t.now);
  const segments = segmentsOf([{ at: t.now, kind: 'start' }]);
  const clocks = (['engagement', 'resolution'] as const).map((kind) => {
    const targetMinutes = targetOf(policy, t.criticality, kind);
    return {
      id: randomUUID(),
      ticketId: t.ticketId,
      kind,
      cycle: 1,
      policyId: policy.id,
      criticality: t.criticality,
      targetMinutes,
      startedAt: t.now,
      ...thresholdsOf(calendar, segments, targetMinutes, false),
    };
  });
  return [
    db.insert(slaClock).values(clocks),
    db
      .insert(slaClockEvent)
      .values(
        clocks.map((c) => ({ clockId: c.id, at: t.now, kind: 'start' as const, details: { policyVersion: policy.version, targetMinutes: c.targetMinutes } })),
      ),
  ];
}

/** The policy in force for a request type and the business calendar, in one read when the policy exists. */
async function policyAndCalendar(db: DbOrTx, requestTypeId: string, now: Date) {
  const [row] = await db
    .select({ policy: slaPolicy, calendar: sql<unknown>`(select ${slaCalendar.config} from ${slaCalendar} where ${slaCalendar.id} = ${CALENDAR_ROW})` })
    .from(slaPolicy)
    .where(eq(slaPolicy.requestTypeId, requestTypeId))
    .orderBy(desc(slaPolicy.version))
    .limit(1);
  if (row) return { policy: row.policy, calendar: calendarFor(parseCalendarConfig(row.calendar ?? {})) };
  // A type created after the seed: its first policy is created now.
  return { policy: await policyInForce(db, requestTypeId, now), calendar: await loadCalendar(db) };
}

/** Stops a clock, judged against the target it has now: met when its business time did not exceed it. */
async function stopClock(tx: DbOrTx, calendar: BusinessCalendar, c: ClockRow, now: Date, canceled: boolean, details: Record<string, unknown> = {}) {
  const events = (await eventsOf(tx, [c.id])).get(c.id) ?? [];
  const elapsed = elapsedMs(calendar, segmentsOf(events), now.getTime());
  const breached = elapsed > c.targetMinutes * MINUTE_MS;
  const outcome = breached ? 'breached' : canceled ? 'canceled' : 'met';
  await addEvent(tx, c.id, now, 'stop', { ...details, outcome, elapsedMinutes: Math.floor(elapsed / MINUTE_MS) });
  await tx.update(slaClock).set({ stoppedAt: now, pausedAt: null, outcome, warnAt: null, deadline: null, level3At: null }).where(eq(slaClock.id, c.id));
}

/** Engagement ends at the first public agent reply. */
export async function onFirstPublicReply(tx: DbOrTx, ctx: Ctx, ticketId: string): Promise<void> {
  const clocks = await runningClocks(tx, ticketId, 'engagement');
  if (!clocks.length) return;
  const calendar = await loadCalendar(tx);
  for (const c of clocks) await stopClock(tx, calendar, c, ctx.clock.now(), false);
}

/**
 * A status change: leaving `open` (qualification, or any agent's move) ends engagement;
 * waiting_customer pauses resolution and leaving it resumes; resolved stops it; a reopen
 * (resolved → in_progress) starts a new resolution cycle with the full target; cancel stops all.
 */
export async function onStatusChange(tx: DbOrTx, ctx: Ctx, current: { id: string; criticality: Criticality }, from: Status, to: Status): Promise<void> {
  if (from === to) return;
  const now = ctx.clock.now();
  const running = await runningClocks(tx, current.id);
  const reopen = from === 'resolved' && to === 'in_progress';
  if (!running.length && !reopen) return;
  const calendar = await loadCalendar(tx);
  const changed: ClockRow[] = [];
  for (const c of running) {
    if (isFinal(to)) {
      await stopClock(tx, calendar, c, now, to === 'canceled');
    } else if (c.kind === 'engagement') {
      if (from === 'open') await stopClock(tx, calendar, c, now, false);
    } else if (to === 'resolved') {
      await stopClock(tx, calendar, c, now, false);
    } else if (to === 'waiting_customer' && !c.pausedAt) {
      await addEvent(tx, c.id, now, 'pause');
      await tx.update(slaClock).set({ pausedAt: now }).where(eq(slaClock.id, c.id));
      changed.push(c);
    } else if (from === 'waiting_customer' && c.pausedAt) {
      await addEvent(tx, c.id, now, 'resume');
      await tx.update(slaClock).set({ pausedAt: null }).where(eq(slaClock.id, c.id));
      changed.push(c);
    }
  }
  if (reopen) {
    const [last] = await tx
      .select({ cycle: max(slaClock.cycle), policyId: sql<string>`(array_agg(${slaClock.policyId} order by ${slaClock.cycle} desc))[1]` })
      .from(slaClock)
      .where(and(eq(slaClock.ticketId, current.id), eq(slaClock.kind, 'resolution')));
    if (last?.cycle) {
      const [policy] = await tx.select().from(slaPolicy).where(eq(slaPolicy.id, last.policyId));
      const criticality = current.criticality;
      const [created] = await tx
        .insert(slaClock)
        .values({
          ticketId: current.id,
          kind: 'resolution',
          cycle: last.cycle + 1,
          policyId: policy!.id,
          criticality,
          targetMinutes: targetOf(policy!, criticality, 'resolution'),
          startedAt: now,
        })
        .returning();
      await addEvent(tx, created!.id, now, 'new_cycle', { cycle: created!.cycle, policyVersion: policy!.version, targetMinutes: created!.targetMinutes });
      changed.push(created!);
    }
  }
  if (changed.length) await refreshClocks(tx, calendar, changed);
}

/**
 * Re-targets every clock still running (paused included) to the new criticality's targets of the
 * policy it started under, from its original start: elapsed and paused time are kept. Warnings and
 * escalations already sent stay sent. Stopped clocks keep the target they were judged by. Each
 * re-target is written to the clock's events and to the request's (internal) history.
 */
export async function onCriticalityChange(
  tx: DbOrTx,
  ctx: Ctx,
  current: { id: string },
  from: Criticality,
  to: Criticality,
  actorId: string | null,
): Promise<void> {
  if (from === to) return;
  const running = await runningClocks(tx, current.id);
  if (!running.length) return;
  const now = ctx.clock.now();
  const policies = await tx
    .select()
    .from(slaPolicy)
    .where(inArray(slaPolicy.id, [...new Set(running.map((c) => c.policyId))]));
  const updated: ClockRow[] = [];
  for (const c of running) {
    const policy = policies.find((p) => p.id === c.policyId)!;
    const targetMinutes = targetOf(policy, to, c.kind);
    await addEvent(tx, c.id, now, 'retarget', { from: { criticality: c.criticality, targetMinutes: c.targetMinutes }, to: { criticality: to, targetMinutes } });
    await tx.update(slaClock).set({ criticality: to, targetMinutes }).where(eq(slaClock.id, c.id));
    updated.push({ ...c, criticality: to, targetMinutes });
  }
  await refreshClocks(tx, await loadCalendar(tx), updated);
  await recordSlaHistory(
    tx,
    { ticketId: current.id, at: now, actorId },
    running.map((c, i) => ({ field: 'sla_retarget_criticality' as const, from: `${c.kind}:${c.targetMinutes}`, to: `${c.kind}:${updated[i]!.targetMinutes}` })),
  );
}

/**
 * The request changed type (within its desk, or moved to another desk): every running clock
 * (paused included) takes the target of the new type's policy in force for its criticality, from
 * its original start, keeping elapsed and paused time, like a criticality change. Stopped clocks
 * keep the target they were judged by; warnings and escalations already sent stay sent. A type not
 * under SLA stops the running clocks unjudged (canceled, or breached when already past the
 * target); a request without clocks that gets a type under SLA starts them now, in its status.
 * Each change is written to the clock's events and to the request's (internal) history.
 */
export async function onRequestTypeChange(
  tx: DbOrTx,
  ctx: Ctx,
  current: { id: string; criticality: Criticality; status: Status },
  toRequestTypeId: string,
  actorId: string | null,
): Promise<void> {
  const now = ctx.clock.now();
  const [type] = await tx.select({ underSla: requestType.underSla }).from(requestType).where(eq(requestType.id, toRequestTypeId));
  const running = (await runningClocks(tx, current.id)).sort((a, b) => a.kind.localeCompare(b.kind) || a.cycle - b.cycle);
  const history = { ticketId: current.id, at: now, actorId };
  if (!type?.underSla) {
    if (!running.length) return;
    const calendar = await loadCalendar(tx);
    for (const c of running) await stopClock(tx, calendar, c, now, true, { reason: 'request_type_not_under_sla', requestTypeId: toRequestTypeId });
    await recordSlaHistory(
      tx,
      history,
      running.map((c) => ({ field: 'sla_stopped' as const, to: c.kind })),
    );
    return;
  }
  const policy = await policyInForce(tx, toRequestTypeId, now);
  if (!running.length) {
    const [any] = await tx.select({ id: slaClock.id }).from(slaClock).where(eq(slaClock.ticketId, current.id)).limit(1);
    if (!any) await startClocksInStatus(tx, now, current, policy);
    return;
  }
  const previous = await tx
    .select({ id: slaPolicy.id, version: slaPolicy.version })
    .from(slaPolicy)
    .where(inArray(slaPolicy.id, [...new Set(running.map((c) => c.policyId))]));
  const updated: ClockRow[] = [];
  for (const c of running) {
    const targetMinutes = targetOf(policy, c.criticality, c.kind);
    await addEvent(tx, c.id, now, 'retarget', {
      cause: 'request_type',
      from: { policyVersion: previous.find((p) => p.id === c.policyId)?.version ?? null, targetMinutes: c.targetMinutes },
      to: { requestTypeId: toRequestTypeId, policyVersion: policy.version, targetMinutes },
    });
    await tx.update(slaClock).set({ policyId: policy.id, targetMinutes }).where(eq(slaClock.id, c.id));
    updated.push({ ...c, policyId: policy.id, targetMinutes });
  }
  await refreshClocks(tx, await loadCalendar(tx), updated);
  await recordSlaHistory(
    tx,
    history,
    running.map((c, i) => ({
      field: 'sla_retarget_request_type' as const,
      from: `${c.kind}:${c.targetMinutes}`,
      to: `${c.kind}:${updated[i]!.targetMinutes}`,
    })),
  );
}

/** Clocks for a request that comes under SLA after its creation: engagement while still open, resolution until resolved. */
async function startClocksInStatus(
  tx: DbOrTx,
  now: Date,
  current: { id: string; criticality: Criticality; status: Status },
  policy: typeof slaPolicy.$inferSelect,
) {
  const kinds: ClockKind[] = [];
  if (current.status === 'open') kinds.push('engagement');
  if (['open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party'].includes(current.status)) kinds.push('resolution');
  if (!kinds.length) return;
  const criticality = current.criticality;
  const paused = current.status === 'waiting_customer';
  const created = await tx
    .insert(slaClock)
    .values(
      kinds.map((kind) => ({
        ticketId: current.id,
        kind,
        cycle: 1,
        policyId: policy.id,
        criticality,
        targetMinutes: targetOf(policy, criticality, kind),
        startedAt: now,
        pausedAt: paused && kind === 'resolution' ? now : null,
      })),
    )
    .returning();
  for (const c of created) {
    await addEvent(tx, c.id, now, 'start', { policyVersion: policy.version, targetMinutes: c.targetMinutes, cause: 'request_type' });
    if (c.pausedAt) await addEvent(tx, c.id, now, 'pause');
  }
  await refreshClocks(tx, await loadCalendar(tx), created);
}

/** After a calendar change (closure day, schedule): re-computes the instants of every running clock, in batches. */
export async function recomputeRunningClocks(tx: DbOrTx, calendar: BusinessCalendar, batchSize = 500): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let count = 0;
  for (;;) {
    const batch = await tx
      .select({ id: slaClock.id, targetMinutes: slaClock.targetMinutes, stoppedAt: slaClock.stoppedAt })
      .from(slaClock)
      .where(and(isNull(slaClock.stoppedAt), sql`${slaClock.id} > ${after}`))
      .orderBy(asc(slaClock.id))
      .limit(batchSize);
    if (!batch.length) return count;
    await refreshClocks(tx, calendar, batch);
    count += batch.length;
    after = batch.at(-1)!.id;
  }
}
