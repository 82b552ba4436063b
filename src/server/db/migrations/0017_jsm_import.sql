CREATE TABLE "jsm_import" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site" text NOT NULL,
	"email" text NOT NULL,
	"token_encrypted" text NOT NULL,
	"status" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"phase" text,
	"cursor" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mapping" jsonb NOT NULL,
	"unmapped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"refusals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"refused_total" integer DEFAULT 0 NOT NULL,
	"requests_done" integer DEFAULT 0 NOT NULL,
	"requests_total" integer,
	"rate_limit_waits" integer DEFAULT 0 NOT NULL,
	"rate_limit_waited_seconds" real DEFAULT 0 NOT NULL,
	"rate_limited_until" timestamp with time zone,
	"error" text,
	"heartbeat_at" timestamp with time zone,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "jsm_import_status_check" CHECK ("jsm_import"."status" in ('draft', 'queued', 'running', 'pausing', 'paused', 'completed', 'failed')),
	CONSTRAINT "jsm_import_phase_check" CHECK ("jsm_import"."phase" in ('organizations', 'customers', 'requests', 'counters'))
);
--> statement-breakpoint
CREATE TABLE "jsm_link" (
	"site" text NOT NULL,
	"kind" text NOT NULL,
	"jsm_id" text NOT NULL,
	"local_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "jsm_link_site_kind_jsm_id_pk" PRIMARY KEY("site","kind","jsm_id"),
	CONSTRAINT "jsm_link_kind_check" CHECK ("jsm_link"."kind" in ('organization', 'customer', 'agent', 'request', 'comment', 'attachment', 'history', 'sla_cycle'))
);
--> statement-breakpoint
ALTER TABLE "jsm_import" ADD CONSTRAINT "jsm_import_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jsm_import_created_idx" ON "jsm_import" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "jsm_link_local_idx" ON "jsm_link" USING btree ("kind","local_id");