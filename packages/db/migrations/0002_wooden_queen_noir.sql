CREATE TABLE "change_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"router_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"snapshot" jsonb NOT NULL,
	"operations" jsonb NOT NULL,
	"requested_by" uuid,
	"approved_by" uuid,
	"decided_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 8729 NOT NULL,
	"tls" boolean DEFAULT true NOT NULL,
	"allow_plain" boolean DEFAULT false NOT NULL,
	"ca_cert" text,
	"username" text NOT NULL,
	"password_enc" text NOT NULL,
	"nas_id" uuid,
	"identity" text,
	"health" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "change_plans" ADD CONSTRAINT "change_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_plans" ADD CONSTRAINT "change_plans_router_id_routers_id_fk" FOREIGN KEY ("router_id") REFERENCES "public"."routers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_plans" ADD CONSTRAINT "change_plans_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_plans" ADD CONSTRAINT "change_plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routers" ADD CONSTRAINT "routers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routers" ADD CONSTRAINT "routers_nas_id_nas_id_fk" FOREIGN KEY ("nas_id") REFERENCES "public"."nas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "change_plans_router" ON "change_plans" USING btree ("router_id","created_at");--> statement-breakpoint
CREATE INDEX "routers_tenant" ON "routers" USING btree ("tenant_id");