CREATE TABLE "mpesa_status_queries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"attempt_id" uuid,
	"transaction_id" text,
	"original_conversation_id" text,
	"conversation_id" text,
	"state" text DEFAULT 'sent' NOT NULL,
	"result_code" text,
	"result_desc" text,
	"receipt" text,
	"amount_minor" bigint,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "mpesa_status_queries_target" CHECK ("mpesa_status_queries"."transaction_id" is not null or "mpesa_status_queries"."original_conversation_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "reconciliation_differences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"provider_ref" text,
	"payment_id" uuid,
	"in_suspense" boolean DEFAULT false NOT NULL,
	"provider_amount_minor" bigint,
	"provider_currency" text,
	"kasi_amount_minor" bigint,
	"kasi_currency" text,
	"occurred_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"gateway" text NOT NULL,
	"day" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"provider_count" integer DEFAULT 0 NOT NULL,
	"kasi_count" integer DEFAULT 0 NOT NULL,
	"matched_count" integer DEFAULT 0 NOT NULL,
	"difference_count" integer DEFAULT 0 NOT NULL,
	"error" text,
	"run_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_runs_day_format" CHECK ("reconciliation_runs"."day" ~ '^\d{4}-\d{2}-\d{2}$')
);
--> statement-breakpoint
ALTER TABLE "mpesa_status_queries" ADD CONSTRAINT "mpesa_status_queries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mpesa_status_queries" ADD CONSTRAINT "mpesa_status_queries_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mpesa_status_queries" ADD CONSTRAINT "mpesa_status_queries_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_run_by_users_id_fk" FOREIGN KEY ("run_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mpesa_status_queries_attempt" ON "mpesa_status_queries" USING btree ("tenant_id","attempt_id");--> statement-breakpoint
CREATE INDEX "reconciliation_differences_run" ON "reconciliation_differences" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliation_runs_day" ON "reconciliation_runs" USING btree ("tenant_id","gateway","day");--> statement-breakpoint
-- Tenant tables: row-level security like every other (ADR 0019); runMigrations would also add
-- it (kasi_secure_tenant_tables), stated here so the migration says what it makes.
SELECT kasi_tenant_rls('reconciliation_runs');--> statement-breakpoint
SELECT kasi_tenant_rls('reconciliation_differences');--> statement-breakpoint
SELECT kasi_tenant_rls('mpesa_status_queries');
