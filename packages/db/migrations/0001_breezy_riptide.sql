CREATE TABLE "subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"username" text NOT NULL,
	"password_enc" text NOT NULL,
	"plan_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"service" text DEFAULT 'any' NOT NULL,
	"mac_address" text,
	"framed_ip" text,
	"expires_at" timestamp with time zone,
	"full_name" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "exhausted_action" text DEFAULT 'reject' NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "walled_garden_list" text DEFAULT 'kasi-walled-garden' NOT NULL;--> statement-breakpoint
ALTER TABLE "radius_sessions" ADD COLUMN "subscriber_id" uuid;--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_tenant_username" ON "subscribers" USING btree ("tenant_id",lower("username"));--> statement-breakpoint
CREATE INDEX "subscribers_plan" ON "subscribers" USING btree ("plan_id");--> statement-breakpoint
ALTER TABLE "radius_sessions" ADD CONSTRAINT "radius_sessions_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE set null ON UPDATE no action;