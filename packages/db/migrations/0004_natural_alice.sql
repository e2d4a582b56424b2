ALTER TABLE "jobs" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "radius_sessions_voucher" ON "radius_sessions" USING btree ("voucher_id") WHERE voucher_id is not null;--> statement-breakpoint
CREATE INDEX "radius_sessions_subscriber" ON "radius_sessions" USING btree ("subscriber_id") WHERE subscriber_id is not null;