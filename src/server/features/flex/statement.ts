import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { toCsv, type CsvField } from '../../csv.ts';
import type { LedgerEntry, Purchase, Statement } from '#shared/flex-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, ticket, user } from '../../db/schema.ts';
import { billingRun, flexLedgerEntry, flexLedgerLine, flexPurchase, timeEntry } from '../../db/schema.ts';
import { visibleTicketsCondition, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { businessTimeZone, dayIn } from '../calendar/business-day.ts';
import { flexSummary } from './balance.ts';

type Period = { from?: string | undefined; to?: string | undefined };

/** The business day of a posting: its date in the business calendar's zone. */
const postedDayIn = (timeZone: string) => sql<string>`to_char(${flexLedgerEntry.postedAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;

const inPeriod = (period: Period, timeZone: string): SQL | undefined => {
  const postedDay = postedDayIn(timeZone);
  return and(period.from ? gte(postedDay, period.from) : undefined, period.to ? lte(postedDay, period.to) : undefined);
};

/**
 * A request's summary on the statement: customers see the summaries of the requests they may read
 * (the requests' read rule: in an organization set to "own requests only", those they take part in)
 * and only the key of the others. Staff see every summary.
 */
function summaryFor(viewer: Viewer) {
  if (can(viewer, 'readInternal')) return sql<string | null>`${ticket.summary}`;
  return sql<string | null>`case when ${visibleTicketsCondition(viewer) ?? sql`true`} then ${ticket.summary} else null end`;
}

export async function listPurchases(db: DbOrTx, organizationId: string): Promise<Purchase[]> {
  const rows = await db
    .select()
    .from(flexPurchase)
    .where(eq(flexPurchase.organizationId, organizationId))
    .orderBy(desc(flexPurchase.purchasedOn), desc(flexPurchase.createdAt));
  return rows.map((r) => ({ id: r.id, purchasedOn: r.purchasedOn, minutes: r.minutes, reference: r.reference, createdAt: r.createdAt.toISOString() }));
}

export async function listLedger(db: DbOrTx, viewer: Viewer, organizationId: string, period: Period, timeZone: string): Promise<LedgerEntry[]> {
  const rows = await db
    .select({
      id: flexLedgerEntry.id,
      kind: flexLedgerEntry.kind,
      minutes: flexLedgerEntry.minutes,
      postedAt: flexLedgerEntry.postedAt,
      key: ticket.key,
      summary: summaryFor(viewer),
      billingRunId: flexLedgerEntry.billingRunId,
      note: flexLedgerEntry.note,
      customerNote: flexLedgerEntry.customerNote,
      timeEntryIds: sql<
        string[]
      >`array(select ll.time_entry_id::text from ${flexLedgerLine} ll where ll.ledger_entry_id = "flex_ledger_entry"."id" order by ll.time_entry_id)`,
    })
    .from(flexLedgerEntry)
    .innerJoin(ticket, eq(ticket.id, flexLedgerEntry.ticketId))
    .where(and(eq(flexLedgerEntry.organizationId, organizationId), inPeriod(period, timeZone)))
    .orderBy(asc(flexLedgerEntry.postedAt), asc(flexLedgerEntry.id));
  // The staff's reason for a reversal never reaches a customer: they read the note written for them, or none.
  const staff = can(viewer, 'readInternal');
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as LedgerEntry['kind'],
    minutes: r.minutes,
    postedAt: r.postedAt.toISOString(),
    request: { key: r.key, summary: r.summary },
    billingRunId: r.billingRunId,
    ...(staff ? { note: r.note } : {}),
    customerNote: r.customerNote,
    timeEntryIds: r.timeEntryIds,
  }));
}

export async function getStatement(
  db: DbOrTx,
  viewer: Viewer,
  organizationId: string,
  period: Period,
  today: string,
  /** The business calendar's zone, when the caller has read it already. */
  timeZone?: string,
): Promise<Statement> {
  timeZone ??= await businessTimeZone(db);
  const summary = await flexSummary(db, organizationId, today);
  const purchases = (await listPurchases(db, organizationId)).filter(
    (p) => (!period.from || p.purchasedOn >= period.from) && (!period.to || p.purchasedOn <= period.to),
  );
  const ledger = await listLedger(db, viewer, organizationId, period, timeZone);
  const months = new Map<string, number>();
  const requests = new Map<string, { key: string; summary: string | null; minutes: number }>();
  for (const e of ledger) {
    const month = dayOf(timeZone, e.postedAt).slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + e.minutes);
    const r = requests.get(e.request.key) ?? { ...e.request, minutes: 0 };
    r.minutes += e.minutes;
    requests.set(e.request.key, r);
  }
  return {
    summary,
    from: period.from ?? null,
    to: period.to ?? null,
    purchases,
    ledger,
    byMonth: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, minutes]) => ({ month, minutes })),
    byRequest: [...requests.values()].sort((a, b) => b.minutes - a.minutes || a.key.localeCompare(b.key)),
  };
}

const dayOf = (timeZone: string, iso: string) => dayIn(timeZone, new Date(iso));

/** One line of a statement or export: every field quoted, formulas defused. */
const csvLine = (fields: CsvField[]) => toCsv([fields], { quoteAll: true });

/**
 * The customer's statement as CSV: purchases and ledger entries of the period in date order, each
 * with its effect on the balance (minutes, signed) and the balance after it, from the opening balance.
 * A reversal's description is, for customers, the note written for them (or nothing); staff read
 * their own reason there, and the customer's note in a last column.
 */
export async function statementCsv(db: DbOrTx, viewer: Viewer, organizationId: string, period: Period, today: string): Promise<string> {
  const timeZone = await businessTimeZone(db);
  const statement = await getStatement(db, viewer, organizationId, period, today, timeZone);
  let balance = 0;
  if (period.from) {
    const [opening] = await db
      .select({
        purchased: sql<string>`coalesce((select sum(${flexPurchase.minutes}) from ${flexPurchase} where ${flexPurchase.organizationId} = ${organizationId} and ${flexPurchase.purchasedOn} < ${period.from}), 0)`,
        billed: sql<string>`coalesce((select sum(${flexLedgerEntry.minutes}) from ${flexLedgerEntry} where ${flexLedgerEntry.organizationId} = ${organizationId} and ${postedDayIn(timeZone)} < ${period.from}), 0)`,
      })
      .from(sql`(select 1) as one`);
    balance = Number(opening!.purchased) - Number(opening!.billed);
  }
  const staff = can(viewer, 'readInternal');
  type Row = { day: string; order: number; type: string; reference: string; description: string | null; minutes: number; customerNote: string | null };
  const rows: Row[] = [
    ...statement.purchases.map((p) => ({
      day: p.purchasedOn,
      order: 0,
      type: 'purchase',
      reference: p.reference,
      description: null,
      minutes: p.minutes,
      customerNote: null,
    })),
    ...statement.ledger.map((e) => ({
      day: dayOf(timeZone, e.postedAt),
      order: 1,
      type: e.kind,
      reference: e.request.key,
      description: e.kind === 'reversal' ? (staff ? (e.note ?? null) : e.customerNote) : e.request.summary,
      minutes: -e.minutes,
      customerNote: e.customerNote,
    })),
  ].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
  const line = (fields: CsvField[], customerNote: string | null) => csvLine(staff ? [...fields, customerNote] : fields);
  let out = line(['date', 'type', 'reference', 'description', 'minutes', 'balance_minutes'], 'customer_note');
  out += line([period.from ?? '', 'opening_balance', '', '', '', balance], null);
  for (const r of rows) {
    balance += r.minutes;
    out += line([r.day, r.type, r.reference, r.description, r.minutes, balance], r.customerNote);
  }
  return out;
}

/**
 * Staff export for invoicing: one line per billed (or reversed) time entry posted in the period,
 * for one organization or all, with the request, the agent and the billing run.
 */
export async function invoicingCsv(db: DbOrTx, period: { from: string; to: string; organizationId?: string | undefined }): Promise<string> {
  const timeZone = await businessTimeZone(db);
  const rows = await db
    .select({
      organization: organization.name,
      postedDay: postedDayIn(timeZone),
      kind: flexLedgerLine.kind,
      key: ticket.key,
      summary: ticket.summary,
      workedOn: timeEntry.workedOn,
      agent: user.name,
      description: timeEntry.description,
      minutes: flexLedgerLine.minutes,
      runId: billingRun.id,
      note: flexLedgerEntry.note,
      customerNote: flexLedgerEntry.customerNote,
    })
    .from(flexLedgerLine)
    .innerJoin(flexLedgerEntry, eq(flexLedgerEntry.id, flexLedgerLine.ledgerEntryId))
    .innerJoin(organization, eq(organization.id, flexLedgerEntry.organizationId))
    .innerJoin(ticket, eq(ticket.id, flexLedgerEntry.ticketId))
    .innerJoin(timeEntry, eq(timeEntry.id, flexLedgerLine.timeEntryId))
    .innerJoin(user, eq(user.id, timeEntry.agentId))
    .leftJoin(billingRun, eq(billingRun.id, flexLedgerEntry.billingRunId))
    .where(and(inPeriod(period, timeZone), period.organizationId ? eq(flexLedgerEntry.organizationId, period.organizationId) : undefined))
    .orderBy(asc(organization.name), asc(flexLedgerEntry.postedAt), asc(ticket.key), asc(timeEntry.workedOn), asc(timeEntry.id));
  let out = csvLine([
    'organization',
    'posted_on',
    'kind',
    'request',
    'summary',
    'worked_on',
    'agent',
    'description',
    'minutes',
    'billing_run',
    'note',
    'customer_note',
  ]);
  for (const r of rows)
    out += csvLine([r.organization, r.postedDay, r.kind, r.key, r.summary, r.workedOn, r.agent, r.description, r.minutes, r.runId, r.note, r.customerNote]);
  return out;
}
