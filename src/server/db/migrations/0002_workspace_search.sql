CREATE TABLE "saved_view" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ticket" ADD COLUMN "criticality_rank" smallint GENERATED ALWAYS AS (case "criticality" when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket" ADD COLUMN "search_public" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket" ADD COLUMN "search_all" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_view_user_name_idx" ON "saved_view" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "ticket_updated_idx" ON "ticket" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_created_idx" ON "ticket" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_criticality_idx" ON "ticket" USING btree ("criticality_rank" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_open_updated_idx" ON "ticket" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party');--> statement-breakpoint
CREATE INDEX "ticket_open_created_idx" ON "ticket" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party');--> statement-breakpoint
CREATE INDEX "ticket_open_criticality_idx" ON "ticket" USING btree ("criticality_rank" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party');--> statement-breakpoint
CREATE INDEX "ticket_open_queue_idx" ON "ticket" USING btree ("desk_id","status","assignee_id") WHERE status in ('open', 'qualified', 'in_progress', 'waiting_customer', 'waiting_third_party');--> statement-breakpoint
CREATE INDEX "ticket_resolved_at_idx" ON "ticket" USING btree ("resolved_at","desk_id") WHERE status = 'resolved';--> statement-breakpoint
CREATE INDEX "ticket_closed_at_idx" ON "ticket" USING btree ("closed_at","desk_id") WHERE status = 'closed';--> statement-breakpoint
CREATE INDEX "ticket_request_type_idx" ON "ticket" USING btree ("request_type_id");--> statement-breakpoint
CREATE INDEX "ticket_search_public_idx" ON "ticket" USING gin ("search_public");--> statement-breakpoint
CREATE INDEX "ticket_search_all_idx" ON "ticket" USING gin ("search_all");