CREATE TABLE "lifecycle_rule" (
	"desk_id" uuid PRIMARY KEY NOT NULL,
	"first_reminder_days" integer NOT NULL,
	"second_reminder_days" integer NOT NULL,
	"resolve_days" integer NOT NULL,
	"close_days" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_id" text
);
--> statement-breakpoint
CREATE TABLE "satisfaction_survey" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"desk_id" uuid NOT NULL,
	"reporter_id" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"rating" smallint,
	"comment" text,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_lifecycle" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"next_action" text,
	"due_at" timestamp with time zone,
	"since" timestamp with time zone,
	"auto_resolved_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lifecycle_rule" ADD CONSTRAINT "lifecycle_rule_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_rule" ADD CONSTRAINT "lifecycle_rule_updated_by_id_user_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_survey" ADD CONSTRAINT "satisfaction_survey_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_survey" ADD CONSTRAINT "satisfaction_survey_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_survey" ADD CONSTRAINT "satisfaction_survey_reporter_id_user_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_lifecycle" ADD CONSTRAINT "ticket_lifecycle_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "satisfaction_survey_answered_idx" ON "satisfaction_survey" USING btree ("answered_at","desk_id") WHERE answered_at is not null;--> statement-breakpoint
CREATE INDEX "ticket_lifecycle_due_idx" ON "ticket_lifecycle" USING btree ("due_at") WHERE next_action is not null;