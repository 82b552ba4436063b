/**
 * Full-text search of requests (DESIGN.md §2 "Search"), with PostgreSQL text search.
 *
 * Writing: every text is turned into a vector with the configuration of its author's language
 * (fr → french, de → german, en → english) and appended to the request's vectors, so a request
 * written in French stems as French even when a German colleague replies in German. `search_public`
 * holds the summary, the description and the public replies; `search_all` the same plus the
 * internal notes. Customers search the first, staff the second.
 *
 * Reading: the query is parsed with each of the three configurations and the three are OR-ed, so
 * "factures" finds a French "facture", "Rechnungen" a German "Rechnung", "invoices" an English
 * "invoice", whatever the searcher's own language. Stop words drop out per language; a query of
 * stop words only parses to nothing and finds nothing. Results are not ranked (ranking every match
 * is what makes search slow at a million requests): the list orders them by last change.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Language } from '#shared/domain.ts';
import type { MessageVisibility } from '#shared/tickets-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { ticket } from '../../db/schema.ts';

const CONFIGS: Record<Language, 'french' | 'german' | 'english'> = { fr: 'french', de: 'german', en: 'english' };

/** The text-search configuration of a language. */
export const searchConfigOf = (language: Language) => CONFIGS[language];

/** The same in SQL, for a language column (`"user".language`). */
export const searchConfigSql = (language: SQL | unknown) =>
  sql`(case ${language} when 'de' then 'german' when 'en' then 'english' else 'french' end)::regconfig`;

/** The vector of one text written by someone of this language. */
export const textVector = (language: Language, text: string) => sql`to_tsvector(${searchConfigOf(language)}::regconfig, ${text})`;

/**
 * A tsvector holds at most 1 MB; a request whose vector is that big (pasted logs, many long
 * replies) stops growing rather than refusing the reply. The text form is longer than the stored
 * form, so the check errs on the safe side.
 */
const TSVECTOR_BUDGET = 900_000;
/** The column with the text's vector appended; the vector is computed once (the subquery), not once per use. */
const appended = (column: typeof ticket.searchAll | typeof ticket.searchPublic, addition: SQL) =>
  sql`(select case when octet_length(${column}::text) + octet_length(a.v::text) < ${TSVECTOR_BUDGET} then ${column} || a.v else ${column} end from (select ${addition} as v) a)`;

/** The vectors of a new request: its summary and description, in the language of whoever wrote them. */
export function newTicketVectors(language: Language, summary: string, description: string) {
  const vector = textVector(language, `${summary}\n${description}`);
  return { searchPublic: vector, searchAll: vector };
}

/** The vector updates for a reply (both vectors) or an internal note (agents' vector only). */
export function messageVectorUpdate(language: Language, body: string, visibility: MessageVisibility) {
  const vector = textVector(language, body);
  return visibility === 'public'
    ? { searchPublic: appended(ticket.searchPublic, vector), searchAll: appended(ticket.searchAll, vector) }
    : { searchAll: appended(ticket.searchAll, vector) };
}

/**
 * The query as a tsquery: `q` parsed with each of the three configurations, identical parses kept
 * once, OR-ed; null when nothing is left (only stop words or punctuation): no request matches.
 * `websearch_to_tsquery` accepts anything a person types ("quoted phrases", or, -exclusions)
 * without syntax errors. The result goes to the search as a constant, so the planner estimates how
 * many requests match from the column's statistics — a word in one language, or a code the same in
 * all three, is not counted three times — and picks between walking the recency index (frequent
 * words) and the GIN index (rare ones).
 */
export async function parseSearch(db: DbOrTx, q: string): Promise<string | null> {
  const result = await db.execute(
    sql`select websearch_to_tsquery('french'::regconfig, ${q})::text as fr, websearch_to_tsquery('german'::regconfig, ${q})::text as de, websearch_to_tsquery('english'::regconfig, ${q})::text as en`,
  );
  const [row] = (result as unknown as { rows: { fr: string; de: string; en: string }[] }).rows;
  const parts = [...new Set([row!.fr, row!.de, row!.en].filter((p) => p.trim() !== ''))];
  return parts.length ? parts.map((p) => `(${p})`).join(' | ') : null;
}

/** Looks like a request key (SUP-12): also found by its key. */
export const KEY_PATTERN = /^[A-Za-z]{2,6}-[1-9]\d{0,8}$/;

/** The tsquery built by parseSearch, as SQL. */
export const tsquery = (query: string) => sql`${query}::tsquery`;

/** The condition matching requests whose searchable text (the viewer's vector) matches, or whose key is `q`. */
export function searchCondition(q: string, query: string | null, scope: 'public' | 'all'): SQL | undefined {
  const vector = scope === 'all' ? ticket.searchAll : ticket.searchPublic;
  const matches = query ? sql`${vector} @@ ${tsquery(query)}` : undefined;
  const byKey = KEY_PATTERN.test(q) ? sql`${ticket.key} = ${q.toUpperCase()}` : undefined;
  return matches && byKey ? sql`(${matches} or ${byKey})` : (matches ?? byKey);
}

/** Highlight marks: control characters no text is left with, turned into <mark> after escaping. */
const START = '\u0001';
const STOP = '\u0002';
export const HEADLINE_OPTIONS = `StartSel="${START}", StopSel="${STOP}", MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;
/** Longer texts are highlighted on their beginning only: ts_headline reads the whole text. */
const HEADLINE_TEXT_MAX = 20_000;

/** The headline of a text (marks stripped from it first) for the query, in a configuration. */
export const headline = (config: SQL, text: SQL, tsq: SQL) =>
  sql`ts_headline(${config}, left(translate(${text}, ${START + STOP}, ''), ${HEADLINE_TEXT_MAX}), ${tsq}, ${HEADLINE_OPTIONS})`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** ts_headline's output as safe HTML: everything escaped, then only its own marks become <mark>. */
export function snippetHtml(headlineText: string): string {
  return headlineText
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>')
    .replace(/\s+/g, ' ')
    .trim();
}
