-- The Flex ledger is append-only (DESIGN.md §2 "Flex"): a correction is a reversing entry, never a
-- change. The database refuses any UPDATE, DELETE or TRUNCATE of its entries and lines, whatever
-- the client. One change is let through: a deleted user's id on an entry becomes null (the foreign
-- key's ON DELETE SET NULL), everything else of the entry unchanged.
CREATE FUNCTION guichet_flex_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested: NEW exists only for row updates, and only the entry has an actor.
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'flex_ledger_entry' THEN
    IF NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND (NEW.id, NEW.organization_id, NEW.ticket_id, NEW.kind, NEW.minutes, NEW.billing_run_id, NEW.note, NEW.posted_at)
           IS NOT DISTINCT FROM (OLD.id, OLD.organization_id, OLD.ticket_id, OLD.kind, OLD.minutes, OLD.billing_run_id, OLD.note, OLD.posted_at) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'The Flex ledger is append-only: % of % is refused; post a reversing entry instead', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER flex_ledger_entry_append_only BEFORE UPDATE OR DELETE ON flex_ledger_entry
  FOR EACH ROW EXECUTE FUNCTION guichet_flex_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER flex_ledger_entry_no_truncate BEFORE TRUNCATE ON flex_ledger_entry
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_flex_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER flex_ledger_line_append_only BEFORE UPDATE OR DELETE ON flex_ledger_line
  FOR EACH ROW EXECUTE FUNCTION guichet_flex_ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER flex_ledger_line_no_truncate BEFORE TRUNCATE ON flex_ledger_line
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_flex_ledger_append_only();
