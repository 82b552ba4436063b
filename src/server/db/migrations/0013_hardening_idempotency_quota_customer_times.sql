CREATE TABLE "idempotency_key" (
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"body_hash" text NOT NULL,
	"status_code" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_key_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "attachment" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "storage_quota_mb" integer;--> statement-breakpoint
ALTER TABLE "ticket" ADD COLUMN "customer_updated_at" timestamp with time zone;--> statement-breakpoint
-- Until now one time served both sides: it is the best guess of what customers last saw change.
UPDATE "ticket" SET "customer_updated_at" = "updated_at";--> statement-breakpoint
ALTER TABLE "ticket" ALTER COLUMN "customer_updated_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "flex_ledger_entry" ADD COLUMN "customer_note" text;--> statement-breakpoint
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_key_created_idx" ON "idempotency_key" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachment_organization_size_idx" ON "attachment" USING btree ("organization_id","size");--> statement-breakpoint
CREATE INDEX "attachment_pending_created_idx" ON "attachment" USING btree ("created_at") WHERE ticket_id is null;--> statement-breakpoint
CREATE INDEX "ticket_org_customer_updated_idx" ON "ticket" USING btree ("organization_id","customer_updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_reporter_customer_updated_idx" ON "ticket" USING btree ("reporter_id","customer_updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- Customers' uploads so far count against their organization's storage.
UPDATE "attachment" SET "organization_id" = "user"."organization_id" FROM "user" WHERE "user"."id" = "attachment"."uploader_id" AND "user"."role" = 'customer';
