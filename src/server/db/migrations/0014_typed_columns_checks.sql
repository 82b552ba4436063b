-- Until now the languages were plain text and their readers treated an unknown one as French;
-- the few rows that could hold one (written before every writer validated) take that value, so the checks hold.
UPDATE "user" SET "language" = 'fr' WHERE "language" NOT IN ('fr', 'de', 'en');--> statement-breakpoint
UPDATE "outbox" SET "language" = 'fr' WHERE "language" NOT IN ('fr', 'de', 'en');--> statement-breakpoint
UPDATE "escalation_contact" SET "language" = 'fr' WHERE "language" NOT IN ('fr', 'de', 'en');--> statement-breakpoint
ALTER TABLE "escalation_contact" ADD CONSTRAINT "escalation_contact_language_check" CHECK ("escalation_contact"."language" in ('fr', 'de', 'en'));--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_role_check" CHECK ("invitation"."role" in ('customer', 'agent', 'admin'));--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_language_check" CHECK ("outbox"."language" in ('fr', 'de', 'en'));--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending', 'sent', 'failed', 'held'));--> statement-breakpoint
ALTER TABLE "project" ADD CONSTRAINT "project_status_check" CHECK ("project"."status" in ('active', 'closed'));--> statement-breakpoint
ALTER TABLE "sla_clock" ADD CONSTRAINT "sla_clock_kind_check" CHECK ("sla_clock"."kind" in ('engagement', 'resolution'));--> statement-breakpoint
ALTER TABLE "sla_clock" ADD CONSTRAINT "sla_clock_criticality_check" CHECK ("sla_clock"."criticality" in ('critical', 'high', 'medium', 'low'));--> statement-breakpoint
ALTER TABLE "sla_clock" ADD CONSTRAINT "sla_clock_outcome_check" CHECK ("sla_clock"."outcome" in ('met', 'breached', 'canceled'));--> statement-breakpoint
ALTER TABLE "sla_clock_event" ADD CONSTRAINT "sla_clock_event_kind_check" CHECK ("sla_clock_event"."kind" in ('start', 'new_cycle', 'pause', 'resume', 'stop', 'retarget'));--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_criticality_check" CHECK ("ticket"."criticality" in ('critical', 'high', 'medium', 'low'));--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_status_check" CHECK ("ticket"."status" in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party', 'resolved', 'closed', 'canceled'));--> statement-breakpoint
ALTER TABLE "ticket_message" ADD CONSTRAINT "ticket_message_visibility_check" CHECK ("ticket_message"."visibility" in ('public', 'internal'));--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_role_check" CHECK ("user"."role" in ('customer', 'agent', 'admin'));--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_language_check" CHECK ("user"."language" in ('fr', 'de', 'en'));--> statement-breakpoint
ALTER TABLE "billing_run" ADD CONSTRAINT "billing_run_trigger_check" CHECK ("billing_run"."trigger" in ('schedule', 'admin'));--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD CONSTRAINT "flex_ledger_entry_kind_check" CHECK ("flex_ledger_entry"."kind" in ('charge', 'reversal'));--> statement-breakpoint
ALTER TABLE "flex_ledger_line" ADD CONSTRAINT "flex_ledger_line_kind_check" CHECK ("flex_ledger_line"."kind" in ('charge', 'reversal'));--> statement-breakpoint
ALTER TABLE "organization_contract" ADD CONSTRAINT "organization_contract_zero_balance_policy_check" CHECK ("organization_contract"."zero_balance_policy" in ('refuse', 'warn'));--> statement-breakpoint
ALTER TABLE "ticket_lifecycle" ADD CONSTRAINT "ticket_lifecycle_next_action_check" CHECK ("ticket_lifecycle"."next_action" in ('reminder_1', 'reminder_2', 'resolve', 'close'));
