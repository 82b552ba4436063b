import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { toCsv } from '../../csv.ts';
import type { Language } from '#shared/domain.ts';
import type { SlaReport, SlaReportQuery, SlaReportRow } from '#shared/sla-report-api.ts';
import { monthIndex } from '#shared/sla-report-api.ts';
import type { Criticality } from '#shared/tickets.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, slaClock, slaClockEvent, ticket } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import { loadCalendarConfig } from '../calendar/calendar-store.ts';

/** 'YYYY-MM' of an instant in a time zone. */
export function monthIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

const nextMonth = (month: string) => {
  const i = monthIndex(month) + 1;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
};

/**
 * Judged clocks (met or breached; canceled ones are not judged) per month of their stop in the
 * calendar's time zone, criticality and desk, with the average business time they ran (the stop
 * event's elapsed minutes: pauses excluded). One grouped query, read through the partial index on
 * judged clocks' stop instant.
 */
export async function getSlaReport(deps: { db: DbOrTx; clock: Clock }, query: SlaReportQuery, language: Language): Promise<SlaReport> {
  const { timeZone } = await loadCalendarConfig(deps.db);
  if (monthIndex(query.from) > monthIndex(monthIn(deps.clock.now(), timeZone))) {
    throw badRequest('sla.report_future', 'from: the range lies entirely in the future; no clock can have been judged yet.', 'from');
  }
  const rows = await reportQuery(deps.db, query, timeZone);
  const desks = await deps.db.select({ id: desk.id, names: desk.names, position: desk.position }).from(desk);
  const byId = new Map(desks.map((d) => [d.id, d]));
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  const result: SlaReportRow[] = rows
    .map((r) => ({ ...r, deskName: byId.get(r.deskId)?.names[language] ?? '' }))
    .sort(
      (a, b) =>
        a.month.localeCompare(b.month) ||
        (byId.get(a.deskId)?.position ?? 0) - (byId.get(b.deskId)?.position ?? 0) ||
        rank[a.criticality]! - rank[b.criticality]!,
    );
  return { from: query.from, to: query.to, deskId: query.deskId ?? null, timeZone, rows: result };
}

/** The grouped query of the report (exported for the benchmark's EXPLAIN). */
export function reportQuery(db: DbOrTx, query: SlaReportQuery, timeZone: string) {
  const start = sql`(${`${query.from}-01`}::timestamp at time zone ${timeZone})`;
  const end = sql`(${`${nextMonth(query.to)}-01`}::timestamp at time zone ${timeZone})`;
  const engagement = sql`${slaClock.kind} = 'engagement'`;
  const resolution = sql`${slaClock.kind} = 'resolution'`;
  const met = sql`${slaClock.outcome} = 'met'`;
  const breached = sql`${slaClock.outcome} = 'breached'`;
  const elapsed = sql`(${slaClockEvent.details}->>'elapsedMinutes')::int`;
  const month = sql<string>`to_char(${slaClock.stoppedAt} at time zone ${timeZone}, 'YYYY-MM')`;
  const count = (condition: ReturnType<typeof sql>) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  const average = (condition: ReturnType<typeof sql>) =>
    sql<number | null>`round(avg(${elapsed}) filter (where ${condition}))::int`.mapWith((v) => (v === null ? null : Number(v)));
  return (
    db
      .select({
        month,
        deskId: ticket.deskId,
        criticality: slaClock.criticality,
        engagementMet: count(sql`${engagement} and ${met}`),
        engagementBreached: count(sql`${engagement} and ${breached}`),
        resolutionMet: count(sql`${resolution} and ${met}`),
        resolutionBreached: count(sql`${resolution} and ${breached}`),
        averageEngagementMinutes: average(engagement),
        averageResolutionMinutes: average(resolution),
      })
      .from(slaClock)
      .innerJoin(ticket, eq(ticket.id, slaClock.ticketId))
      .innerJoin(slaClockEvent, and(eq(slaClockEvent.clockId, slaClock.id), eq(slaClockEvent.kind, 'stop')))
      .where(
        and(
          // Repeats the partial index's predicate.
          sql`${slaClock.outcome} in ('met', 'breached')`,
          gte(slaClock.stoppedAt, start),
          lt(slaClock.stoppedAt, end),
          query.deskId ? eq(ticket.deskId, query.deskId) : undefined,
        ),
      )
      // By position: the month expression carries the time zone as a parameter, which GROUP BY would not match.
      .groupBy(sql`1`, ticket.deskId, slaClock.criticality)
  );
}

const CSV_HEADERS: Record<Language, string[]> = {
  en: [
    'Month',
    'Desk',
    'Criticality',
    'Engagement met',
    'Engagement breached',
    'Average engagement (business minutes)',
    'Resolution met',
    'Resolution breached',
    'Average resolution (business minutes)',
  ],
  fr: [
    'Mois',
    'Guichet',
    'Criticité',
    'Prise en charge respectée',
    'Prise en charge dépassée',
    'Prise en charge moyenne (minutes ouvrées)',
    'Résolution respectée',
    'Résolution dépassée',
    'Résolution moyenne (minutes ouvrées)',
  ],
  de: [
    'Monat',
    'Schalter',
    'Kritikalität',
    'Reaktion eingehalten',
    'Reaktion überschritten',
    'Reaktion im Mittel (Geschäftsminuten)',
    'Lösung eingehalten',
    'Lösung überschritten',
    'Lösung im Mittel (Geschäftsminuten)',
  ],
};

/** The report as CSV for Excel: UTF-8 with a byte-order mark, a header row, CRLF line ends. */
export function slaReportCsv(report: SlaReport, language: Language, criticalityLabel: (c: Criticality) => string): string {
  const lines = [
    CSV_HEADERS[language],
    ...report.rows.map((r) => [
      r.month,
      r.deskName,
      criticalityLabel(r.criticality),
      r.engagementMet,
      r.engagementBreached,
      r.averageEngagementMinutes,
      r.resolutionMet,
      r.resolutionBreached,
      r.averageResolutionMinutes,
    ]),
  ];
  return toCsv(lines, { bom: true });
}
