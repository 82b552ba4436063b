import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TicketListQuery, TicketSort, TicketSummary } from '#shared/tickets-api.ts';
import { CUSTOMER_STATUSES, OPEN_STATUSES, statusesShownAs, type CustomerStatus, type Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, organization, requestType, slaClock, ticket, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { afterSortCursor, cursorAt, decodeSortCursor, descending, sortCursorValues, sortOrder, toSortedPage, type MultiSort } from '../../db/keyset.ts';
import { slaOfPage } from './list-sla.ts';
import { involvedCondition, visibleTicketsCondition, type Viewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { statusFor, statusLabelFor } from '../../policies/ticket-views.ts';
import { queueCondition } from './queues.ts';
import { headline, parseSearch, searchCondition, searchConfigSql, snippetHtml, tsquery } from './search.ts';

const reporter = alias(user, 'reporter');
const assignee = alias(user, 'assignee');
const creator = alias(user, 'creator');

/**
 * The request's last change as the viewer knows it: Customer Services' (`updated_at`, any change), or
 * customers' (`customer_updated_at`, the changes they can see: never an internal note, an assignment
 * or a status they read the same). Their lists, the 'updated' sort, its cursors, the search's windows,
 * the updated range and the `updatedAt` they get all use it.
 */
const lastChangeColumn = (staff: boolean) => (staff ? ticket.updatedAt : ticket.customerUpdatedAt);

/**
 * The offered sorts; each has its index (ticket_updated_idx, ticket_created_idx, ticket_criticality_idx
 * and their open-only twins; for customers, per organization and per reporter: ticket_org_customer_updated_idx,
 * ticket_reporter_customer_updated_idx, ticket_org_created_idx, ticket_reporter_created_idx).
 */
const sortKeys = (staff: boolean): Record<Exclude<TicketSort, 'sla_deadline'>, MultiSort> => ({
  updated: { name: 'updated', keys: [{ column: lastChangeColumn(staff), kind: 'timestamp' }], id: ticket.id },
  created: { name: 'created', keys: [{ column: ticket.createdAt, kind: 'timestamp' }], id: ticket.id },
  criticality: {
    name: 'criticality',
    keys: [
      { column: ticket.criticalityRank, kind: 'integer' },
      { column: ticket.createdAt, kind: 'timestamp' },
    ],
    id: ticket.id,
  },
});

/**
 * The SLA deadline sort reads in two phases. First the requests with a running deadline, soonest
 * first, walking the running clocks (sla_clock_running_deadline_idx on (deadline, ticket_id)), each
 * request once, by its earliest clock; then those without one (paused, not under SLA, finished),
 * newest first. The cursor says which phase it continues (its sort name).
 */
const SLA_RUNNING: MultiSort = { name: 'sla_deadline', keys: [{ column: slaClock.deadline, kind: 'timestamp' }], id: slaClock.ticketId };
const SLA_NONE: MultiSort = { name: 'sla_none', keys: [{ column: ticket.createdAt, kind: 'timestamp' }], id: ticket.id };
// A stopped clock has no deadline (sla/clocks.ts): "deadline is not null" alone is the running deadlines,
// one predicate the planner estimates well enough to walk the index instead of sorting them all.
const runningDeadline = sql`${slaClock.deadline} is not null`;
/** This clock is the request's earliest running deadline (ties: the smaller clock id). */
const earliestOfItsRequest = sql`not exists (select 1 from sla_clock e where e.ticket_id = ${slaClock.ticketId} and e.deadline is not null and (e.deadline, e.id) < (${slaClock.deadline}, ${slaClock.id}))`;
const noRunningDeadline = sql`not exists (select 1 from sla_clock e where e.ticket_id = ${ticket.id} and e.deadline is not null)`;
const cursorSortName = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8').split('|')[0];

/** Filters that are Customer Services' tools; a customer sending one gets a 400 naming it. */
const STAFF_ONLY = ['queue', 'organizationId', 'assigneeId'] as const;

const invalid = (field: string, message: string) => new AppError(400, 'validation.invalid', `${field}: ${message}`, field);

const isCustomerStatus = (status: Status): status is CustomerStatus => (CUSTOMER_STATUSES as readonly Status[]).includes(status);

/**
 * A customer filters on the statuses they read: in_progress finds the requests waiting for a third
 * party too, and a status they never see (waiting_third_party) is refused, as unknown, like any other.
 */
function customerStatusFilter(statuses: Status[]): Status[] {
  const unknown = statuses.find((status) => !isCustomerStatus(status));
  if (unknown !== undefined) throw invalid('status', `unknown value “${unknown}”; expected ${CUSTOMER_STATUSES.join(', ')}`);
  return statusesShownAs(statuses.filter(isCustomerStatus));
}

/**
 * A page of the requests the viewer may see, filtered and sorted, with keyset pagination. The
 * filtering and ordering run on `ticket` alone (where the indexes are), limited to the page; names
 * and search snippets are looked up for the page's rows only.
 */
export async function listTickets(db: DbOrTx, viewer: Viewer, query: TicketListQuery, now: Date) {
  const staff = can(viewer, 'readInternal');
  const scope = query.scope ?? (staff && query.queue ? 'desks' : 'mine');
  if (scope === 'desks' && !staff) throw invalid('scope', 'only Customer Services sees desks');
  if (scope === 'organization' && staff) throw invalid('scope', 'use desks');
  if (!staff) {
    const field = STAFF_ONLY.find((f) => query[f] !== undefined);
    if (field) throw invalid(field, 'only Customer Services filters on this');
  }
  const q = query.q || undefined;
  // Search results come by last change: that order alone is bounded for any word (see searchWindows).
  if (q && query.sort && query.sort !== 'updated') throw invalid('sort', 'a search is sorted by last change');
  const bySla = query.sort === 'sla_deadline';
  const lastChange = lastChangeColumn(staff);
  const sort = bySla ? SLA_RUNNING : sortKeys(staff)[(query.sort as Exclude<TicketSort, 'sla_deadline'> | undefined) ?? (q ? 'updated' : 'created')];
  // Which phase of the SLA sort the cursor continues; a malformed cursor is refused by its decoder below.
  const slaPhase = bySla && query.cursor && /^[A-Za-z0-9_-]+$/.test(query.cursor) && cursorSortName(query.cursor) === SLA_NONE.name ? 2 : 1;
  const tsq = q ? await parseSearch(db, q) : null;
  const search = q ? searchCondition(q, tsq, staff ? 'all' : 'public') : undefined;
  // Only stop words or punctuation, and not a request key: nothing can match.
  if (q && !search) return { items: [], nextCursor: null };

  const filters: (SQL | undefined)[] = [
    visibleTicketsCondition(viewer),
    scope === 'mine' ? (staff ? eq(ticket.assigneeId, viewer.id) : involvedCondition(viewer.id)) : undefined,
    query.state === 'open' ? inArray(ticket.status, [...OPEN_STATUSES]) : undefined,
    query.queue ? queueCondition(query.queue, viewer, now) : undefined,
    query.deskId ? eq(ticket.deskId, query.deskId) : undefined,
    query.requestTypeId ? eq(ticket.requestTypeId, query.requestTypeId) : undefined,
    query.criticality ? inArray(ticket.criticality, query.criticality) : undefined,
    query.status ? inArray(ticket.status, staff ? query.status : customerStatusFilter(query.status)) : undefined,
    query.organizationId ? eq(ticket.organizationId, query.organizationId) : undefined,
    query.assigneeId === 'none' ? isNull(ticket.assigneeId) : query.assigneeId ? eq(ticket.assigneeId, query.assigneeId) : undefined,
    query.createdFrom ? gte(ticket.createdAt, new Date(query.createdFrom)) : undefined,
    query.createdTo ? lt(ticket.createdAt, new Date(query.createdTo)) : undefined,
    query.updatedFrom ? gte(lastChange, new Date(query.updatedFrom)) : undefined,
    query.updatedTo ? lt(lastChange, new Date(query.updatedTo)) : undefined,
    // Customers search what they may read; Customer Services the internal notes too.
    search,
  ];

  type Plan = { sort: MultiSort; window?: SearchWindow | undefined };
  /** One page of the requests matching the filters (and a window of them, or a phase of the SLA sort), with their names. */
  const fetchPage = async ({ sort, window }: Plan, limit: number, cursor: string | undefined) => {
    const fields = {
      id: ticket.id,
      key: ticket.key,
      summary: ticket.summary,
      criticality: ticket.criticality,
      status: ticket.status,
      deskId: ticket.deskId,
      requestTypeId: ticket.requestTypeId,
      organizationId: ticket.organizationId,
      reporterId: ticket.reporterId,
      assigneeId: ticket.assigneeId,
      createdById: ticket.createdById,
      createdAt: ticket.createdAt,
      updatedAt: lastChange,
      criticalityRank: ticket.criticalityRank,
    };
    const page =
      sort === SLA_RUNNING
        ? db
            .select({ ...fields, slaDeadline: slaClock.deadline, cursorValues: cursorAt(slaClock.deadline).as('cursor_values') })
            .from(slaClock)
            .innerJoin(ticket, eq(ticket.id, slaClock.ticketId))
            .where(and(cursor === undefined ? runningDeadline : afterSlaCursor(cursor), earliestOfItsRequest, ...filters))
            .orderBy(asc(slaClock.deadline), asc(slaClock.ticketId))
            .limit(limit)
            .as('page')
        : db
            .select({
              ...fields,
              slaDeadline: sql<Date | null>`null::timestamptz`.as('sla_deadline'),
              cursorValues: sortCursorValues(sort).as('cursor_values'),
            })
            .from(ticket)
            .where(and(...filters, sort === SLA_NONE ? noRunningDeadline : undefined, window?.condition, afterSortCursor(cursor, sort)))
            .orderBy(...(window?.gatherMatches ? byLastChangeGathered(lastChange) : sortOrder(sort)))
            .limit(limit)
            .as('page');

    const pageOrder = {
      updated: [descending(page.updatedAt), descending(page.id)],
      created: [descending(page.createdAt), descending(page.id)],
      criticality: [descending(page.criticalityRank), descending(page.createdAt), descending(page.id)],
      sla_deadline: [asc(page.slaDeadline), asc(page.id)],
      sla_none: [descending(page.createdAt), descending(page.id)],
    }[sort.name]!;

    return db
      .select({
        t: {
          id: page.id,
          key: page.key,
          summary: page.summary,
          criticality: page.criticality,
          status: page.status,
          deskId: page.deskId,
          requestTypeId: page.requestTypeId,
          organizationId: page.organizationId,
          reporterId: page.reporterId,
          assigneeId: page.assigneeId,
          createdAt: page.createdAt,
          updatedAt: page.updatedAt,
          cursorValues: page.cursorValues,
        },
        deskName: desk.names,
        typeName: requestType.names,
        orgName: organization.name,
        reporterName: reporter.name,
        assigneeName: assignee.name,
        snippet: tsq ? snippetSql(tsq, staff, page.id, page.summary) : sql<null>`null`,
      })
      .from(page)
      .innerJoin(desk, eq(desk.id, page.deskId))
      .innerJoin(requestType, eq(requestType.id, page.requestTypeId))
      .innerJoin(organization, eq(organization.id, page.organizationId))
      .innerJoin(reporter, eq(reporter.id, page.reporterId))
      .innerJoin(creator, eq(creator.id, page.createdById))
      .leftJoin(assignee, eq(assignee.id, page.assigneeId))
      .orderBy(...pageOrder);
  };

  // A search by last change reads the recent requests first: see searchWindows.
  const plans: Plan[] = bySla
    ? slaPhase === 1
      ? [{ sort: SLA_RUNNING }, { sort: SLA_NONE }]
      : [{ sort: SLA_NONE }]
    : q && sort.name === 'updated'
      ? searchWindows(lastChange, now, query.cursor ? new Date(decodeSortCursor(query.cursor, sort).values[0]!) : now).map((window) => ({ sort, window }))
      : [{ sort }];
  const rows: (Awaited<ReturnType<typeof fetchPage>>[number] & { sort: MultiSort })[] = [];
  for (const plan of plans) {
    // The cursor applies to the plan it was made in; a later phase starts from its beginning.
    const cursor = plan.sort === SLA_NONE && slaPhase === 1 ? undefined : query.cursor;
    rows.push(...(await fetchPage(plan, query.limit + 1 - rows.length, cursor)).map((r) => ({ ...r, sort: plan.sort })));
    if (rows.length > query.limit) break;
  }

  const lang = viewer.language;
  const pageSla = staff
    ? await slaOfPage(
        db,
        rows.slice(0, query.limit).map((r) => r.t.id),
        now,
      )
    : null;
  return toSortedPage(
    rows.map((r) => ({ ...r, id: r.t.id, cursorValues: r.t.cursorValues })),
    query.limit,
    // The cursor continues the phase of the page's last row.
    rows[Math.min(rows.length, query.limit) - 1]?.sort ?? sort,
    (r): TicketSummary => ({
      id: r.t.id,
      key: r.t.key,
      summary: r.t.summary,
      criticality: r.t.criticality,
      status: statusFor(viewer, r.t.status),
      statusLabel: statusLabelFor(viewer, r.t.status),
      desk: { id: r.t.deskId, name: r.deskName[lang] },
      requestType: { id: r.t.requestTypeId, name: r.typeName[lang] },
      organization: { id: r.t.organizationId, name: r.orgName },
      reporter: { id: r.t.reporterId, name: r.reporterName },
      assignee: r.t.assigneeId ? { id: r.t.assigneeId, name: r.assigneeName! } : null,
      createdAt: r.t.createdAt.toISOString(),
      updatedAt: r.t.updatedAt.toISOString(),
      ...(r.snippet !== null ? { snippet: snippetHtml(r.snippet) } : {}),
      ...(pageSla ? { sla: pageSla.get(r.t.id) ?? null } : {}),
    }),
  );
}

const DAY = 86_400_000;

/**
 * The rows after the cursor in the SLA deadline sort (ascending), one row comparison the index
 * serves. It implies "deadline is not null": stated again, the planner would count the running
 * share twice, believe a handful of rows remain, and sort them all instead of walking the index.
 */
function afterSlaCursor(cursor: string): SQL {
  const { values, id } = decodeSortCursor(cursor, SLA_RUNNING);
  return sql`(${slaClock.deadline}, ${slaClock.ticketId}) > (${values[0]}::timestamptz, ${id}::uuid)`;
}

type SearchWindow = { condition: SQL; gatherMatches: boolean };

/**
 * The slices of "last change" a search by recency reads, newest first, until the page is full: the
 * last 30 days, the 11 months before, the two years before, then everything older.
 *
 * Within the first slice PostgreSQL chooses: for a frequent word it walks the recency index and stops
 * after a page; for a rare one it reads the GIN index. Either costs at most a month of requests, even
 * when it misjudges how frequent the words are — which it does for words that go together ("invoice
 * printing", a quoted phrase: it multiplies their frequencies) and for words it has no statistics for
 * (codes, names: it assumes a fixed share of requests).
 *
 * The older slices are only read when the month did not fill the page: the words are rare there, or
 * old. Walking years of requests in recency order for a word wrongly believed frequent would read
 * hundreds of thousands of rows, so there the matches are gathered through the GIN index and sorted
 * (`gatherMatches`): the cost is what the slice matches.
 */
function searchWindows(lastChange: SQLWrapper, now: Date, from: Date): SearchWindow[] {
  const reference = from < now ? from : now;
  const ago = (days: number) => new Date(reference.getTime() - days * DAY);
  const [month, year, threeYears] = [ago(30), ago(365), ago(3 * 365)];
  return [
    { condition: gte(lastChange, month), gatherMatches: false },
    { condition: and(lt(lastChange, month), gte(lastChange, year))!, gatherMatches: true },
    { condition: and(lt(lastChange, year), gte(lastChange, threeYears))!, gatherMatches: true },
    { condition: lt(lastChange, threeYears), gatherMatches: true },
  ];
}

/**
 * Last change first, as an expression no index provides: PostgreSQL then cannot walk the recency
 * index and gathers the matching rows (GIN index) before sorting them.
 */
const byLastChangeGathered = (lastChange: SQLWrapper) => [sql`(${lastChange} + interval '0 seconds') desc`, descending(ticket.id)];

/**
 * Where the words were found, for one row of the page: the description if it matches, else the
 * first matching reply the viewer may read (customers: public replies only — an internal note never
 * shows, even as a snippet), else the summary. Each text is parsed with its author's configuration.
 */
function snippetSql(query: string, staff: boolean, pageId: SQLWrapper, pageSummary: SQLWrapper): SQL<string | null> {
  const tsq = tsquery(query);
  const creatorConfig = searchConfigSql(sql`${creator.language}`);
  const description = sql`(select d.description from ticket d where d.id = ${pageId})`;
  const authorConfig = searchConfigSql(sql.raw('a.language'));
  const visibility = staff ? sql`` : sql`and m.visibility = 'public'`;
  return sql<string | null>`coalesce(
    case when to_tsvector(${creatorConfig}, ${description}) @@ ${tsq} then ${headline(creatorConfig, description, tsq)} end,
    (select ${headline(authorConfig, sql.raw('m.body'), tsq)}
       from ticket_message m join "user" a on a.id = m.author_id
      where m.ticket_id = ${pageId} ${visibility} and to_tsvector(${authorConfig}, m.body) @@ ${tsq}
      order by m.created_at, m.id limit 1),
    ${headline(creatorConfig, sql`${pageSummary}`, tsq)}
  )`;
}
