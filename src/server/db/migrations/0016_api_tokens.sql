CREATE TABLE "api_token" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_id" text,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_token_secret_hash_unique" UNIQUE("secret_hash"),
	CONSTRAINT "api_token_kind_check" CHECK ("api_token"."kind" in ('personal', 'service')),
	CONSTRAINT "api_token_scopes_check" CHECK ("api_token"."scopes" <@ array['requests:read', 'requests:write', 'admin']::text[] and cardinality("api_token"."scopes") > 0)
);
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "is_service" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_token_owner_idx" ON "api_token" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "api_token_created_idx" ON "api_token" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);