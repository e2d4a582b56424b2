CREATE TABLE "reconciliation_figures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"gross_minor" bigint NOT NULL,
	"fees_minor" bigint,
	"refunds_minor" bigint NOT NULL,
	"net_minor" bigint,
	"payouts_minor" bigint,
	"refunds_from_kasi" boolean DEFAULT false NOT NULL,
	"kasi_gross_minor" bigint NOT NULL,
	"kasi_refunds_minor" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_refunds" ALTER COLUMN "payment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_refunds" ALTER COLUMN "subscriber_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD COLUMN "attempt_id" uuid;--> statement-breakpoint
ALTER TABLE "reconciliation_figures" ADD CONSTRAINT "reconciliation_figures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_figures" ADD CONSTRAINT "reconciliation_figures_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliation_figures_run_currency" ON "reconciliation_figures" USING btree ("tenant_id","run_id","currency");--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_attempt_id_payment_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."payment_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_refunds_plan_attempt" ON "payment_refunds" USING btree ("tenant_id","attempt_id") WHERE attempt_id is not null and status not in ('failed', 'rejected');--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_target" CHECK (("payment_refunds"."payment_id" is not null and "payment_refunds"."subscriber_id" is not null and "payment_refunds"."attempt_id" is null)
        or ("payment_refunds"."payment_id" is null and "payment_refunds"."subscriber_id" is null and "payment_refunds"."attempt_id" is not null));