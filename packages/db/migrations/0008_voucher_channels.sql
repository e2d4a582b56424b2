CREATE TABLE "voucher_print_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"layout" text NOT NULL,
	"options" jsonb NOT NULL,
	"count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reprints" integer DEFAULT 0 NOT NULL,
	"last_printed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "channel" text DEFAULT 'stock' NOT NULL;--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "print_run_id" uuid;--> statement-breakpoint
-- Existing codes: those on a lease stay with that phone; those a customer already logged in
-- with reached one by paper before print runs were kept (print_run_id stays null), so they
-- count as printed and sold; the rest are in stock.
UPDATE "vouchers" SET "channel" = CASE
  WHEN "leased_device_id" IS NOT NULL THEN 'leased'
  WHEN "first_used_at" IS NOT NULL OR "sold_at" IS NOT NULL THEN 'printed'
  ELSE 'stock' END;--> statement-breakpoint
ALTER TABLE "voucher_print_runs" ADD CONSTRAINT "voucher_print_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_print_runs" ADD CONSTRAINT "voucher_print_runs_batch_id_voucher_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."voucher_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_print_runs" ADD CONSTRAINT "voucher_print_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_print_runs_number" ON "voucher_print_runs" USING btree ("batch_id","number");--> statement-breakpoint
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_print_run_id_voucher_print_runs_id_fk" FOREIGN KEY ("print_run_id") REFERENCES "public"."voucher_print_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vouchers_print_run" ON "vouchers" USING btree ("print_run_id") WHERE print_run_id is not null;--> statement-breakpoint
CREATE INDEX "vouchers_stock" ON "vouchers" USING btree ("tenant_id","plan_id","created_at","code") WHERE channel = 'stock';--> statement-breakpoint
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_channel" CHECK ("vouchers"."channel" in ('stock', 'printed', 'leased', 'online', 'held'));--> statement-breakpoint
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_channel_lease" CHECK (("vouchers"."channel" = 'leased') = ("vouchers"."leased_device_id" is not null));