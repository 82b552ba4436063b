CREATE TABLE "escalation_contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"desk_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"language" text DEFAULT 'fr' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_level" (
	"desk_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"when_to_call" jsonb NOT NULL,
	CONSTRAINT "escalation_level_desk_id_level_pk" PRIMARY KEY("desk_id","level")
);
--> statement-breakpoint
CREATE TABLE "sla_calendar" (
	"id" smallint PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_id" text
);
--> statement-breakpoint
CREATE TABLE "sla_clock" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"cycle" integer NOT NULL,
	"policy_id" uuid NOT NULL,
	"criticality" text NOT NULL,
	"target_minutes" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"paused_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"outcome" text,
	"warn_at" timestamp with time zone,
	"deadline" timestamp with time zone,
	"level3_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"breach_notified_at" timestamp with time zone,
	"level3_notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sla_clock_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clock_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policy" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_type_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"targets" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_id" text
);
--> statement-breakpoint
ALTER TABLE "escalation_contact" ADD CONSTRAINT "escalation_contact_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_level" ADD CONSTRAINT "escalation_level_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_calendar" ADD CONSTRAINT "sla_calendar_updated_by_id_user_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clock" ADD CONSTRAINT "sla_clock_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clock" ADD CONSTRAINT "sla_clock_policy_id_sla_policy_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policy"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clock_event" ADD CONSTRAINT "sla_clock_event_clock_id_sla_clock_id_fk" FOREIGN KEY ("clock_id") REFERENCES "public"."sla_clock"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policy" ADD CONSTRAINT "sla_policy_request_type_id_request_type_id_fk" FOREIGN KEY ("request_type_id") REFERENCES "public"."request_type"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policy" ADD CONSTRAINT "sla_policy_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalation_contact_desk_idx" ON "escalation_contact" USING btree ("desk_id","level","position");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_clock_ticket_kind_cycle_idx" ON "sla_clock" USING btree ("ticket_id","kind","cycle");--> statement-breakpoint
CREATE INDEX "sla_clock_deadline_idx" ON "sla_clock" USING btree ("deadline");--> statement-breakpoint
CREATE INDEX "sla_clock_warn_due_idx" ON "sla_clock" USING btree ("warn_at") WHERE warned_at is null and warn_at is not null;--> statement-breakpoint
CREATE INDEX "sla_clock_breach_due_idx" ON "sla_clock" USING btree ("deadline") WHERE breach_notified_at is null and deadline is not null;--> statement-breakpoint
CREATE INDEX "sla_clock_level3_due_idx" ON "sla_clock" USING btree ("level3_at") WHERE level3_notified_at is null and level3_at is not null;--> statement-breakpoint
CREATE INDEX "sla_clock_running_idx" ON "sla_clock" USING btree ("id") WHERE stopped_at is null;--> statement-breakpoint
CREATE INDEX "sla_clock_event_clock_idx" ON "sla_clock_event" USING btree ("clock_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policy_type_version_idx" ON "sla_policy" USING btree ("request_type_id","version");