-- Data and settings that go with 0002 (workspace search and queues), which drizzle-kit does not
-- generate: the vectors of existing requests, the statistics of the vectors, vacuum thresholds.
--
-- Requests written before full-text search get the vectors the write path builds for new ones
-- (see features/tickets/search.ts): each text with the configuration of its author's language,
-- summary and description by whoever opened the request; public replies in both vectors, internal
-- notes only in search_all. Each part is cut to 60,000 characters so no vector can pass the 1 MB
-- limit of a tsvector.
UPDATE "ticket" AS t
SET "search_public" = v.public_vector,
    "search_all" = v.public_vector || v.internal_vector
FROM (
  SELECT
    t2.id,
    to_tsvector(
      (CASE c.language WHEN 'de' THEN 'german' WHEN 'en' THEN 'english' ELSE 'french' END)::regconfig,
      left(t2.summary || E'\n' || t2.description, 60000)
    ) || (
      SELECT coalesce(string_agg(g.vector::text, ' '), '')::tsvector
      FROM (
        SELECT to_tsvector(m.config, left(string_agg(m.body, E'\n' ORDER BY m.created_at, m.id), 60000)) AS vector
        FROM (
          SELECT m2.body, m2.created_at, m2.id,
                 (CASE a.language WHEN 'de' THEN 'german' WHEN 'en' THEN 'english' ELSE 'french' END)::regconfig AS config
          FROM "ticket_message" m2 JOIN "user" a ON a.id = m2.author_id
          WHERE m2.ticket_id = t2.id AND m2.visibility = 'public'
        ) m
        GROUP BY m.config
      ) g
    ) AS public_vector,
    (
      SELECT coalesce(string_agg(g.vector::text, ' '), '')::tsvector
      FROM (
        SELECT to_tsvector(m.config, left(string_agg(m.body, E'\n' ORDER BY m.created_at, m.id), 60000)) AS vector
        FROM (
          SELECT m2.body, m2.created_at, m2.id,
                 (CASE a.language WHEN 'de' THEN 'german' WHEN 'en' THEN 'english' ELSE 'french' END)::regconfig AS config
          FROM "ticket_message" m2 JOIN "user" a ON a.id = m2.author_id
          WHERE m2.ticket_id = t2.id AND m2.visibility = 'internal'
        ) m
        GROUP BY m.config
      ) g
    ) AS internal_vector
  FROM "ticket" t2 JOIN "user" c ON c.id = t2.created_by_id
) AS v
WHERE v.id = t.id;
--> statement-breakpoint
-- Full-text search orders by recency: for a frequent word PostgreSQL walks the recency index, for a
-- rare one it reads the GIN index. It tells them apart by the lexeme statistics of the vectors; the
-- default sample (100) knows too few lexemes at a million requests and takes rare words for frequent.
ALTER TABLE "ticket" ALTER COLUMN "search_all" SET STATISTICS 1000;--> statement-breakpoint
ALTER TABLE "ticket" ALTER COLUMN "search_public" SET STATISTICS 1000;
--> statement-breakpoint
-- The queues count the open requests with index-only scans of partial indexes; rows changed since
-- the last VACUUM must be checked in the table, and open requests change all day. The default
-- thresholds (20 % of the table) let weeks of changes pile up at a million requests: vacuum the
-- requests after every 1 % instead (measured: 2 ms for 23,000 open requests just after a vacuum,
-- 35–120 ms when all of them changed since).
ALTER TABLE "ticket" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
