CREATE TABLE "radius_servers" (
	"instance" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"auth_port" integer NOT NULL,
	"acct_port" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "hotspot_url" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "brand_colour" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "logo" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "disabled_at" timestamp with time zone;