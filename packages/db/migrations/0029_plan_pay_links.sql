ALTER TABLE "pay_links" ALTER COLUMN "subscriber_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_attempts" ALTER COLUMN "subscriber_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pay_links" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
ALTER TABLE "pay_links" ADD COLUMN "router_id" uuid;--> statement-breakpoint
ALTER TABLE "pay_links" ADD COLUMN "client_mac" text;--> statement-breakpoint
ALTER TABLE "pay_links" ADD COLUMN "client_ip" text;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD COLUMN "voucher_id" uuid;--> statement-breakpoint
ALTER TABLE "pay_links" ADD CONSTRAINT "pay_links_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pay_links" ADD CONSTRAINT "pay_links_router_id_routers_id_fk" FOREIGN KEY ("router_id") REFERENCES "public"."routers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_voucher_id_vouchers_id_fk" FOREIGN KEY ("voucher_id") REFERENCES "public"."vouchers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_attempts_voucher" ON "payment_attempts" USING btree ("voucher_id") WHERE voucher_id is not null;--> statement-breakpoint
ALTER TABLE "pay_links" ADD CONSTRAINT "pay_links_plan_kind" CHECK (("pay_links"."kind" = 'plan') = ("pay_links"."plan_id" is not null));--> statement-breakpoint
ALTER TABLE "pay_links" ADD CONSTRAINT "pay_links_target" CHECK ("pay_links"."kind" = 'plan' or "pay_links"."subscriber_id" is not null);--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_target" CHECK (("payment_attempts"."subscriber_id" is not null) <> ("payment_attempts"."plan_id" is not null));