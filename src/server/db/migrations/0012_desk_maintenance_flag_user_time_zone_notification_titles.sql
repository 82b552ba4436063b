ALTER TABLE "desk" ADD COLUMN "covered_by_maintenance" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "titles" jsonb;--> statement-breakpoint
-- The base catalogue's Support desk is the one the maintenance contract covers (it was recognised by its slug).
UPDATE "desk" SET "covered_by_maintenance" = true WHERE "slug" = 'support';
