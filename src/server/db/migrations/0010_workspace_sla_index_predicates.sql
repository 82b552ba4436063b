DROP INDEX "sla_clock_running_deadline_idx";--> statement-breakpoint
DROP INDEX "sla_clock_running_warn_idx";--> statement-breakpoint
CREATE INDEX "sla_clock_running_deadline_idx" ON "sla_clock" USING btree ("deadline","ticket_id") WHERE deadline is not null;--> statement-breakpoint
CREATE INDEX "sla_clock_running_warn_idx" ON "sla_clock" USING btree ("warn_at","ticket_id") WHERE warn_at is not null;