CREATE TABLE "inbound_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"message_id" text NOT NULL,
	"from_address" text NOT NULL,
	"from_name" text,
	"to_addresses" jsonb NOT NULL,
	"subject" text NOT NULL,
	"size" integer NOT NULL,
	"text" text,
	"received_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"detail" text,
	"matched_by" text,
	"ticket_id" uuid,
	"ticket_message_id" uuid,
	"opened_request" boolean DEFAULT false NOT NULL,
	"desk_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"refused_attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "inbound_message_message_id_unique" UNIQUE("message_id"),
	CONSTRAINT "inbound_message_source_check" CHECK ("inbound_message"."source" in ('smtp', 'imap')),
	CONSTRAINT "inbound_message_status_check" CHECK ("inbound_message"."status" in ('received', 'processed', 'ignored', 'refused', 'triage', 'dismissed', 'failed')),
	CONSTRAINT "inbound_message_reason_check" CHECK ("inbound_message"."reason" in ('auto_reply', 'bounce', 'own_message', 'rate_limited', 'not_allowed', 'unknown_sender', 'no_request', 'request_refused', 'unreadable', 'error')),
	CONSTRAINT "inbound_message_matched_by_check" CHECK ("inbound_message"."matched_by" in ('reply_address', 'thread', 'subject', 'desk_address'))
);
--> statement-breakpoint
ALTER TABLE "desk" ADD COLUMN "inbound_address" text;--> statement-breakpoint
ALTER TABLE "desk" ADD COLUMN "inbound_request_type_id" uuid;--> statement-breakpoint
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_desk_id_desk_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desk"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_message_received_idx" ON "inbound_message" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_message_status_received_idx" ON "inbound_message" USING btree ("status","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_message_pending_idx" ON "inbound_message" USING btree ("received_at") WHERE status = 'received';--> statement-breakpoint
CREATE INDEX "inbound_message_triage_idx" ON "inbound_message" USING btree ("desk_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'triage';--> statement-breakpoint
CREATE INDEX "inbound_message_ticket_message_idx" ON "inbound_message" USING btree ("ticket_message_id") WHERE ticket_message_id is not null;--> statement-breakpoint
ALTER TABLE "desk" ADD CONSTRAINT "desk_inbound_address_unique" UNIQUE("inbound_address");