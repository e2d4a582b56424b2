ALTER TABLE "subscribers" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "status_changed_by" text;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "latitude" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "longitude" numeric(9, 6);--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "notes" text;--> statement-breakpoint
CREATE INDEX "subscribers_tenant_status" ON "subscribers" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "subscribers_tags" ON "subscribers" USING gin ("tags");--> statement-breakpoint
-- Issue 12 names the end of an account "terminated"; radiusd refuses both names.
UPDATE "subscribers" SET "status" = 'terminated' WHERE "status" = 'disabled';