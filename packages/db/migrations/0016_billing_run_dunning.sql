CREATE TABLE "pending_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"source" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD COLUMN "never_suspend" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD COLUMN "promise_to_pay_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD COLUMN "dunning_suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD COLUMN "last_disconnect" jsonb;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "run_hour" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "reminder_days" integer[] DEFAULT '{-3,0,3}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "no_suspend_weekdays" integer[] DEFAULT '{0,6}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "holidays" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "accrue_while_suspended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "recurring" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_payments" ADD CONSTRAINT "pending_payments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_payments" ADD CONSTRAINT "pending_payments_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pending_payments_source" ON "pending_payments" USING btree ("tenant_id","source");--> statement-breakpoint
CREATE INDEX "pending_payments_subscriber" ON "pending_payments" USING btree ("subscriber_id","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_subscriber_period" ON "invoices" USING btree ("subscriber_id","period_start") WHERE "invoices"."recurring";