CREATE TABLE "billing_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"organization_id" uuid,
	"trigger" text NOT NULL,
	"actor_id" text,
	"ran_at" timestamp with time zone NOT NULL,
	"entries" integer NOT NULL,
	"minutes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flex_ledger_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"minutes" integer NOT NULL,
	"billing_run_id" uuid,
	"note" text,
	"actor_id" text,
	"posted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flex_ledger_line" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ledger_entry_id" uuid NOT NULL,
	"time_entry_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"minutes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flex_purchase" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"purchased_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"reference" text NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "flex_purchase_minutes_positive" CHECK ("flex_purchase"."minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "organization_contract" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"low_balance_threshold_minutes" integer DEFAULT 0 NOT NULL,
	"zero_balance_policy" text DEFAULT 'warn' NOT NULL,
	"maintenance_starts_on" date,
	"maintenance_ends_on" date,
	"maintenance_required_for_support" boolean DEFAULT false NOT NULL,
	"low_balance_warned_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"worked_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"description" text NOT NULL,
	"billable" boolean NOT NULL,
	"billed_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "time_entry_minutes_positive" CHECK ("time_entry"."minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "billing_run" ADD CONSTRAINT "billing_run_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run" ADD CONSTRAINT "billing_run_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD CONSTRAINT "flex_ledger_entry_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD CONSTRAINT "flex_ledger_entry_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD CONSTRAINT "flex_ledger_entry_billing_run_id_billing_run_id_fk" FOREIGN KEY ("billing_run_id") REFERENCES "public"."billing_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD CONSTRAINT "flex_ledger_entry_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_line" ADD CONSTRAINT "flex_ledger_line_ledger_entry_id_flex_ledger_entry_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."flex_ledger_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_ledger_line" ADD CONSTRAINT "flex_ledger_line_time_entry_id_time_entry_id_fk" FOREIGN KEY ("time_entry_id") REFERENCES "public"."time_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_purchase" ADD CONSTRAINT "flex_purchase_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flex_purchase" ADD CONSTRAINT "flex_purchase_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_contract" ADD CONSTRAINT "organization_contract_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entry" ADD CONSTRAINT "time_entry_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entry" ADD CONSTRAINT "time_entry_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entry" ADD CONSTRAINT "time_entry_agent_id_user_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_run_ran_idx" ON "billing_run" USING btree ("ran_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "flex_ledger_org_posted_idx" ON "flex_ledger_entry" USING btree ("organization_id","posted_at","id");--> statement-breakpoint
CREATE INDEX "flex_ledger_ticket_idx" ON "flex_ledger_entry" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "flex_ledger_posted_idx" ON "flex_ledger_entry" USING btree ("posted_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "flex_ledger_line_once_idx" ON "flex_ledger_line" USING btree ("time_entry_id","kind");--> statement-breakpoint
CREATE INDEX "flex_ledger_line_entry_idx" ON "flex_ledger_line" USING btree ("ledger_entry_id");--> statement-breakpoint
CREATE INDEX "flex_purchase_org_idx" ON "flex_purchase" USING btree ("organization_id","purchased_on" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "time_entry_ticket_idx" ON "time_entry" USING btree ("ticket_id","worked_on","id");--> statement-breakpoint
CREATE INDEX "time_entry_org_idx" ON "time_entry" USING btree ("organization_id","worked_on");--> statement-breakpoint
CREATE INDEX "time_entry_unbilled_idx" ON "time_entry" USING btree ("organization_id","worked_on") WHERE billable and billed_at is null;