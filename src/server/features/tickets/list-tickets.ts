import { alias } from 'drizzle-orm/pg-core';
import { and, eq, gte, inArray, isNull, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TicketListQuery, TicketSort, TicketSummary } from '#shared/tickets-api.ts';
import { OPEN_STATUSES, type Criticality, type Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, organization, requestType, ticket, user } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { afterSortCursor, decodeSortCursor, descending, sortCursorValues, sortOrder, toSortedPage, type MultiSort } from '../../db/keyset.ts';
import { involvedCondition, isStaff, visibleTicketsCondition, type Viewer } from './policy.ts';
import { statusLabelFor } from './present.ts';
import { queueCondition } from './queues.ts';
import { headline, parseSearch, searchCondition, searchConfigSql, snippetHtml, tsquery } from './search.ts';

const reporter = alias(user, 'reporter');
const assignee = alias(user, 'assignee');
const creator = alias(user, 'creator');

/** The offered sorts; each has its index (ticket_updated_idx, ticket_created_idx, ticket_criticality_idx and their open-only twins). */
export const TICKET_SORT_KEYS: Record<TicketSort, MultiSort> = {
  updated: { name: 'updated', keys: [{ column: ticket.updatedAt, kind: 'timestamp' }], id: ticket.id },
  created: { name: 'created', keys: [{ column: ticket.createdAt, kind: 'timestamp' }], id: ticket.id },
  criticality: {
    name: 'criticality',
    keys: [
      { column: ticket.criticalityRank, kind: 'integer' },
      { column: ticket.createdAt, kind: 'timestamp' },
    ],
    id: ticket.id,
  },
};

/** Filters that are Customer Services' tools; a customer sending one gets a 400 naming it. */
const STAFF_ONLY = ['queue', 'organizationId', 'assigneeId'] as const;

const invalid = (field: string, message: string) => new AppError(400, 'validation.invalid', `${field}: ${message}`, field);

/**
 * A page of the requests the viewer may see, filtered and sorted, with keyset pagination. The
 * filtering and ordering run on `ticket` alone (where the indexes are), limited to the page; names
 * and search snippets are looked up for the page's rows only.
 */
export async function listTickets(db: DbOrTx, viewer: Viewer, query: TicketListQuery, now: Date) {
  const staff = isStaff(viewer);
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
  const sort = TICKET_SORT_KEYS[query.sort ?? (q ? 'updated' : 'created')];
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
    query.status ? inArray(ticket.status, query.status) : undefined,
    query.organizationId ? eq(ticket.organizationId, query.organizationId) : undefined,
    query.assigneeId === 'none' ? isNull(ticket.assigneeId) : query.assigneeId ? eq(ticket.assigneeId, query.assigneeId) : undefined,
    query.createdFrom ? gte(ticket.createdAt, new Date(query.createdFrom)) : undefined,
    query.createdTo ? lt(ticket.createdAt, new Date(query.createdTo)) : undefined,
    query.updatedFrom ? gte(ticket.updatedAt, new Date(query.updatedFrom)) : undefined,
    query.updatedTo ? lt(ticket.updatedAt, new Date(query.updatedTo)) : undefined,
    // Customers search what they may read; Customer Services the internal notes too.
    search,
    afterSortCursor(query.cursor, sort),
  ];

  /** One page of the requests matching the filters (and a window of them), with their names. */
  const fetchPage = async (window: SearchWindow | undefined, limit: number) => {
    const page = db
      .select({
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
        updatedAt: ticket.updatedAt,
        criticalityRank: ticket.criticalityRank,
        cursorValues: sortCursorValues(sort).as('cursor_values'),
      })
      .from(ticket)
      .where(and(...filters, window?.condition))
      .orderBy(...(window?.gatherMatches ? byLastChangeGathered : sortOrder(sort)))
      .limit(limit)
      .as('page');

    const pageOrder = {
      updated: [descending(page.updatedAt), descending(page.id)],
      created: [descending(page.createdAt), descending(page.id)],
      criticality: [descending(page.criticalityRank), descending(page.createdAt), descending(page.id)],
    }[sort.name as TicketSort];

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
  const windows = q && sort.name === 'updated' ? searchWindows(now, query.cursor ? new Date(decodeSortCursor(query.cursor, sort).values[0]!) : now) : [undefined];
  const rows: Awaited<ReturnType<typeof fetchPage>> = [];
  for (const window of windows) {
    rows.push(...(await fetchPage(window, query.limit + 1 - rows.length)));
    if (rows.length > query.limit) break;
  }

  const lang = viewer.language;
  return toSortedPage(
    rows.map((r) => ({ ...r, id: r.t.id, cursorValues: r.t.cursorValues })),
    query.limit,
    sort,
    (r): TicketSummary => ({
      id: r.t.id,
      key: r.t.key,
      summary: r.t.summary,
      criticality: r.t.criticality as Criticality,
      status: r.t.status as Status,
      statusLabel: statusLabelFor(viewer, r.t.status as Status),
      desk: { id: r.t.deskId, name: r.deskName[lang] },
      requestType: { id: r.t.requestTypeId, name: r.typeName[lang] },
      organization: { id: r.t.organizationId, name: r.orgName },
      reporter: { id: r.t.reporterId, name: r.reporterName },
      assignee: r.t.assigneeId ? { id: r.t.assigneeId, name: r.assigneeName! } : null,
      createdAt: r.t.createdAt.toISOString(),
      updatedAt: r.t.updatedAt.toISOString(),
      ...(r.snippet !== null ? { snippet: snippetHtml(r.snippet) } : {}),
    }),
  );
}

const DAY = 86_400_000;

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
function searchWindows(now: Date, from: Date): SearchWindow[] {
  const reference = from < now ? from : now;
  const ago = (days: number) => new Date(reference.getTime() - days * DAY);
  const [month, year, threeYears] = [ago(30), ago(365), ago(3 * 365)];
  return [
    { condition: gte(ticket.updatedAt, month), gatherMatches: false },
    { condition: and(lt(ticket.updatedAt, month), gte(ticket.updatedAt, year))!, gatherMatches: true },
    { condition: and(lt(ticket.updatedAt, year), gte(ticket.updatedAt, threeYears))!, gatherMatches: true },
    { condition: lt(ticket.updatedAt, threeYears), gatherMatches: true },
  ];
}

/**
 * Last change first, as an expression no index provides: PostgreSQL then cannot walk the recency
 * index and gathers the matching rows (GIN index) before sorting them.
 */
const byLastChangeGathered = [sql`(${ticket.updatedAt} + interval '0 seconds') desc`, descending(ticket.id)];

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
