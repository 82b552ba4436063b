/**
 * Seeds the benchmark's requests with set-based SQL: one INSERT … SELECT over generate_series per
 * table and chunk, never one statement per row. Every value derives from the request's number `g`
 * through a hash, so the tickets' search vectors and their messages (inserted by separate
 * statements) agree without a join, and two runs seed the same data.
 *
 * The shape of a helpdesk after four years: organizations of very different sizes, customers writing
 * in French, German or English (agents answer in the customer's language), most requests closed, a
 * few percent still open, resolved in the last days, or forgotten; two to five messages per request,
 * an internal note on four in ten.
 */
import { CORPUS, sqlTextArray, type Corpus } from './corpus.ts';

export type Exec = (sql: string) => Promise<unknown>;

export type SeedPlan = {
  rows: number;
  organizations: number;
  /** Customers per organization. */
  customersPerOrg: number;
  /** The instant the newest request was opened, in seconds since the epoch. */
  endEpoch: number;
  /** How far back the oldest request goes, in days. */
  spanDays: number;
};

export const BENCH_AGENT_ID = 'a-1';
export const BENCH_AGENT_EMAIL = 'bench.agent@guichet.example';

export function planFor(rows: number, endEpoch: number): SeedPlan {
  return { rows, organizations: Math.max(20, Math.round(rows / 500)), customersPerOrg: 8, endEpoch, spanDays: 4 * 365 };
}

/** A stable UUID (version 4 layout) derived from a name, so rows can refer to each other without a lookup. */
const uuidOf = (expr: string) => `overlay(overlay(md5(${expr}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Agents by desk and language: [first number, how many]. Agents answer customers in their language. */
const AGENTS = {
  support: { fr: [1, 20], de: [21, 17], en: [38, 8] },
  consulting: { fr: [46, 7], de: [53, 5], en: [58, 3] },
} as const;
export const AGENT_COUNT = 60;

const langs = ['fr', 'de', 'en'] as const;
const pick = (pool: keyof Corpus) => {
  const lengths = new Set(langs.map((l) => CORPUS[l][pool].length));
  if (lengths.size !== 1) throw new Error(`corpus pool ${pool} must have the same length in every language`);
  const [n] = [...lengths];
  return (u: string) =>
    `(case lang when 'fr' then ${sqlTextArray(CORPUS.fr[pool])} when 'de' then ${sqlTextArray(CORPUS.de[pool])} else ${sqlTextArray(CORPUS.en[pool])} end)[1 + floor(${u} * ${n})::int]`;
};
const fill = (template: string) =>
  `replace(replace(replace(replace(${template}, '{module}', module), '{doc}', doc), '{code}', code), '{n}', (2 + (g % 37))::text)`;

/** Functions and settings of the seeding session (the function is dropped by `finishSeed`). */
export async function prepareSeed(exec: Exec, options: { superuser: boolean }): Promise<void> {
  // A uniform number in [0, 1) from the request number and a salt.
  await exec(`create or replace function bench_u(bigint, int) returns float8 language sql immutable parallel safe
    as $$ select (hashint8($1 * 7919 + $2) & 2147483647)::float8 / 2147483648 $$`);
  // Data built consistent by construction: skip the foreign-key triggers of every row.
  if (options.superuser) await exec(`set session_replication_role = replica`);
  // These statements are one huge expression: compiling it (JIT) costs seconds per chunk, running it milliseconds.
  await exec(`set jit = off`);
  await exec(`set synchronous_commit = off`);
}

export async function finishSeed(exec: Exec, plan: SeedPlan): Promise<void> {
  await exec(`update desk set next_number = ${plan.rows + 1}`);
  await exec(`drop function if exists bench_u(bigint, int)`);
}

/** Organizations, customers, agents (and their desks). The bench agent gets a password. */
export async function seedPeople(exec: Exec, plan: SeedPlan, benchAgentPasswordHash: string): Promise<void> {
  const names = sqlTextArray([
    'Müller',
    'Dupont',
    'Keller',
    'Favre',
    'Schneider',
    'Rochat',
    'Meier',
    'Bonvin',
    'Weber',
    'Morel',
    'Huber',
    'Girard',
    'Fischer',
    'Perret',
    'Baumann',
    'Smith',
  ]);
  const kinds = sqlTextArray(['SA', 'AG', 'GmbH', 'Sàrl', 'Holding', 'Ltd']);
  const firsts = sqlTextArray(['Anne', 'Marc', 'Sophie', 'Luca', 'Nina', 'Thomas', 'Claire', 'Jonas', 'Léa', 'Peter', 'Sarah', 'David']);
  await exec(`insert into organization (id, name, created_at, updated_at)
    select ${uuidOf(`'org' || k`)}, (${names})[1 + k % 16] || ' ' || (${names})[1 + (k / 16) % 16] || ' ' || (${kinds})[1 + k % 6] || ' ' || k,
           now() - interval '5 years', now() - interval '5 years'
    from generate_series(0, ${plan.organizations - 1}) k`);
  const orgLang = (k: string) => `(case when ${k} % 20 < 10 then 'fr' when ${k} % 20 < 17 then 'de' else 'en' end)`;
  await exec(`insert into "user" (id, name, email, email_verified, role, language, organization_id, created_at, updated_at)
    select 'c-' || n, (${firsts})[1 + n % 12] || ' ' || (${names})[1 + (n / 12) % 16], 'c-' || n || '@org-' || (n / ${plan.customersPerOrg}) || '.example', true, 'customer',
           ${orgLang(`(n / ${plan.customersPerOrg})`)}, ${uuidOf(`'org' || (n / ${plan.customersPerOrg})`)}, now() - interval '5 years', now() - interval '5 years'
    from generate_series(0, ${plan.organizations * plan.customersPerOrg - 1}) n`);
  const agentLang = (n: string) =>
    `(case when ${n} between 1 and 20 or ${n} between 46 and 52 then 'fr' when ${n} between 21 and 37 or ${n} between 53 and 57 then 'de' else 'en' end)`;
  await exec(`insert into "user" (id, name, email, email_verified, role, language, created_at, updated_at)
    select 'a-' || n, case when n = 1 then 'Bench Agent' else (${firsts})[1 + n % 12] || ' Agent ' || n end,
           case when n = 1 then '${BENCH_AGENT_EMAIL}' else 'agent-' || n || '@guichet.example' end, true, 'agent', ${agentLang('n')},
           now() - interval '5 years', now() - interval '5 years'
    from generate_series(1, ${AGENT_COUNT}) n`);
  await exec(`insert into account (id, account_id, provider_id, user_id, password, created_at, updated_at)
    values ('bench-agent-account', '${BENCH_AGENT_ID}', 'credential', '${BENCH_AGENT_ID}', '${benchAgentPasswordHash.replaceAll("'", "''")}', now(), now())`);
  await exec(`insert into desk_member (desk_id, user_id)
    select d.id, 'a-' || n from generate_series(1, ${AGENT_COUNT}) n
    join desk d on d.slug = case when n <= 45 then 'support' else 'consulting' end
    union all select id, '${BENCH_AGENT_ID}' from desk where slug = 'consulting'`);
}

/**
 * The attributes of requests lo..hi, as a subquery with one row per request. Both the request
 * insert and the message insert read it, so they agree on every text.
 */
function requests(plan: SeedPlan, lo: number, hi: number): string {
  const step = (plan.spanDays * 86_400) / plan.rows;
  const module = pick('modules');
  const doc = pick('docs');
  return `(
    select s.*,
      case when status in ('closed', 'canceled') then closed_at when status = 'resolved' then resolved_at
           else created_at + (timestamptz 'epoch' + ${plan.endEpoch} * interval '1 second' - created_at) * bench_u(g, 9) end as updated_at
    from (
      select r.*,
        case when status = 'closed' then least(resolved_at + (case when bench_u(g, 11) < 0.35 then bench_u(g, 11) * 6 else 10 end) * interval '1 day',
                                                  timestamptz 'epoch' + ${plan.endEpoch} * interval '1 second')
             when status = 'canceled' then created_at + least(age_days * 0.5, bench_u(g, 9) * 3) * interval '1 day' end as closed_at
      from (
        select q.*,
          case when status = 'closed' then created_at + least(age_days * 0.6, 0.02 + 12 * power(bench_u(g, 9), 2)) * interval '1 day'
               when status = 'resolved' then least(greatest(created_at + interval '1 hour', timestamptz 'epoch' + ${plan.endEpoch} * interval '1 second' - bench_u(g, 9) * interval '9 days'),
                                                   timestamptz 'epoch' + ${plan.endEpoch} * interval '1 second') end as resolved_at
        from (
          select p.*,
            case
              when age_days < 2 then case when su < 0.45 then 'open' when su < 0.65 then 'qualified' when su < 0.85 then 'in_progress' when su < 0.93 then 'waiting_customer' else 'waiting_third_party' end
              when age_days < 30 then case when su < 0.03 then 'open' when su < 0.10 then 'qualified' when su < 0.30 then 'in_progress' when su < 0.42 then 'waiting_customer'
                                           when su < 0.50 then 'waiting_third_party' when su < 0.62 then 'resolved' when su < 0.97 then 'closed' else 'canceled' end
              else case when su < 0.004 then 'in_progress' when su < 0.007 then 'waiting_third_party' when su < 0.009 then 'waiting_customer' when su < 0.010 then 'qualified'
                        when su < 0.955 then 'closed' else 'canceled' end
            end as status
          from (
            select o.*,
              ${module('bench_u(g, 20)')} as module,
              ${doc('bench_u(g, 21)')} as doc,
              (${plan.endEpoch} - created_epoch) / 86400.0 as age_days,
              timestamptz 'epoch' + created_epoch * interval '1 second' as created_at,
              (case when consulting then case lang when 'fr' then ${AGENTS.consulting.fr[0]} + floor(bench_u(g, 13) * ${AGENTS.consulting.fr[1]})
                                                          when 'de' then ${AGENTS.consulting.de[0]} + floor(bench_u(g, 13) * ${AGENTS.consulting.de[1]})
                                                          else ${AGENTS.consulting.en[0]} + floor(bench_u(g, 13) * ${AGENTS.consulting.en[1]}) end
                                 else case lang when 'fr' then ${AGENTS.support.fr[0]} + floor(bench_u(g, 13) * ${AGENTS.support.fr[1]})
                                                when 'de' then ${AGENTS.support.de[0]} + floor(bench_u(g, 13) * ${AGENTS.support.de[1]})
                                                else ${AGENTS.support.en[0]} + floor(bench_u(g, 13) * ${AGENTS.support.en[1]}) end end)::int as agent_id
            from (
              select g,
                ${uuidOf(`'t' || g`)} as id,
                bench_u(g, 1) < 0.15 as consulting,
                org_n,
                case when org_n % 20 < 10 then 'fr' when org_n % 20 < 17 then 'de' else 'en' end as lang,
                'c-' || (org_n * ${plan.customersPerOrg} + floor(bench_u(g, 3) * ${plan.customersPerOrg})::int) as reporter_id,
                case when bench_u(g, 4) < 0.05 then 'critical' when bench_u(g, 4) < 0.25 then 'high' when bench_u(g, 4) < 0.65 then 'medium' else 'low' end as criticality,
                bench_u(g, 5) as su,
                ${plan.endEpoch} - (${plan.rows} - g) * ${step} - bench_u(g, 6) * ${step * 0.9} as created_epoch,
                1 + floor(bench_u(g, 7) * 5)::int as messages,
                bench_u(g, 8) < 0.4 as has_note,
                'E' || (1000 + floor(bench_u(g, 15) * 9000)::int) as code
              from generate_series(${lo}, ${hi}) g
              cross join lateral (select floor(power(bench_u(g, 2), 1.6) * ${plan.organizations})::int as org_n) org
            ) o
          ) p
        ) q
      ) r
    ) s
  )`;
}

/** Message m of a request: internal note, customer reply or agent reply, in the request's language. */
const messageIsInternal = `(has_note and m = least(2, messages))`;
const messageByCustomer = `(not ${messageIsInternal} and m % 2 = 1)`;
const messageBody = () => {
  const u = (k: number) => `bench_u(g * 8 + m, ${k})`;
  // One or two sentences; customers often repeat a sentence of their description.
  const more = (text: string) => `case when ${u(33)} < 0.6 then ' ' || ${text} else '' end`;
  return `case when ${messageIsInternal} then ${fill(pick('internalNotes')(u(30)))} || ${more(fill(pick('internalNotes')(u(34))))}
               when ${messageByCustomer} then ${fill(pick('customerReplies')(u(31)))} || ${more(fill(pick('sentences')(u(35))))}
               else ${fill(pick('agentReplies')(u(32)))} || ${more(fill(pick('agentReplies')(u(36))))} end`;
};

export async function seedRequests(exec: Exec, plan: SeedPlan, lo: number, hi: number): Promise<void> {
  const summary = fill(pick('summaries')('bench_u(g, 22)'));
  const sentence = (k: number) => fill(pick('sentences')(`bench_u(g, ${k})`));
  const description = `${sentence(23)} || ' ' || ${sentence(24)} || ' ' || ${sentence(25)} || case when bench_u(g, 26) < 0.5 then ' ' || ${sentence(27)} else '' end`;
  const config = `(case lang when 'de' then 'german' when 'en' then 'english' else 'french' end)::regconfig`;
  const texts = (internal: boolean) =>
    `coalesce((select string_agg(${messageBody()}, E'\\n' order by m) from generate_series(1, messages) m where ${internal ? '' : 'not '}${messageIsInternal}), '')`;
  await exec(`insert into ticket (id, key, desk_id, request_type_id, organization_id, reporter_id, created_by_id, summary, description, criticality, status, assignee_id,
                                   created_at, updated_at, customer_updated_at, status_changed_at, qualified_at, first_response_at, resolved_at, closed_at, search_public, search_all)
    select x.id, case when consulting then 'CON-' else 'SUP-' end || g,
      case when consulting then dc.id else ds.id end,
      case when consulting then tp.id when bench_u(g, 16) < 0.12 then tf.id else ta.id end,
      ${uuidOf(`'org' || org_n`)}, reporter_id, reporter_id, summary, description, criticality, status,
      case when (status = 'open' and bench_u(g, 14) < 0.1) or (status <> 'open' and bench_u(g, 14) < 0.9) then 'a-' || agent_id end,
      created_at, updated_at, updated_at, updated_at,
      case when status not in ('open', 'canceled') then least(created_at + bench_u(g, 12) * interval '4 hours', updated_at) end,
      case when status not in ('open', 'canceled') then least(created_at + bench_u(g, 12) * interval '4 hours', updated_at) end,
      resolved_at, closed_at, v.pub, v.pub || v.internal
    from (
      select t.*, ${summary} as summary, ${description} as description, ${texts(false)} as public_text, ${texts(true)} as internal_text
      from ${requests(plan, lo, hi)} t
    ) x
    cross join lateral (select to_tsvector(${config}, summary || E'\\n' || description || E'\\n' || public_text) as pub, to_tsvector(${config}, internal_text) as internal) v
    cross join (select id from desk where slug = 'support') ds
    cross join (select id from desk where slug = 'consulting') dc
    cross join (select id from request_type where slug = 'assistance') ta
    cross join (select id from request_type where slug = 'solva-flex') tf
    cross join (select id from request_type where slug = 'project-request') tp`);

  const assigneeOrAgent = `'a-' || agent_id`;
  await exec(`insert into ticket_message (ticket_id, author_id, visibility, body, created_at)
    select id, case when ${messageByCustomer} then reporter_id else ${assigneeOrAgent} end,
           case when ${messageIsInternal} then 'internal' else 'public' end,
           ${messageBody()},
           created_at + (updated_at - created_at) * m / (messages + 1)
    from ${requests(plan, lo, hi)} t
    cross join lateral generate_series(1, messages) m`);

  await exec(`insert into ticket_event (ticket_id, at, actor_id, field, from_value, to_value, customer_visible)
    select id, created_at, reporter_id, 'created', null, 'open', true from ${requests(plan, lo, hi)} t
    union all
    select id, updated_at, ${assigneeOrAgent}, 'status', 'open', status, true from ${requests(plan, lo, hi)} t where status <> 'open'`);
}

/** The secondary indexes of the seeded tables, to drop before loading and build after (much faster than row by row). */
export const SEEDED_TABLES = ['ticket', 'ticket_message', 'ticket_event'];
export const secondaryIndexesQuery = `
  select i.indexname as name, i.indexdef as definition
  from pg_indexes i
  where i.schemaname = 'public' and i.tablename in (${SEEDED_TABLES.map((t) => `'${t}'`).join(', ')})
    and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
  order by i.tablename, i.indexname`;
