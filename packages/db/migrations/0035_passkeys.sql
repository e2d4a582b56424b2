CREATE TABLE "user_passkeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"credential_id" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"transports" text[] DEFAULT '{}' NOT NULL,
	"backed_up" boolean DEFAULT false NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webauthn_challenges" (
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"challenge" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webauthn_challenges_user_id_purpose_pk" PRIMARY KEY("user_id","purpose")
);
--> statement-breakpoint
ALTER TABLE "user_passkeys" ADD CONSTRAINT "user_passkeys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_passkeys" ADD CONSTRAINT "user_passkeys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_passkeys_user" ON "user_passkeys" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_passkeys_user_credential" ON "user_passkeys" USING btree ("user_id","credential_id");--> statement-breakpoint
-- Passkeys and their pending challenges follow the person across tenants, like user_two_factor
-- (ADR 0014 "Passkeys", ADR 0019): besides the tenant wall (added by kasi_secure_tenant_tables
-- after every migration), the signed-in person's own rows, keyed on `kasi.user_id`, which the
-- server sets from the session or the pending sign-in, never from input. Nothing reads them
-- before the person is known, so there is no pre_tenant_lookup policy.
CREATE POLICY own_user_rows ON user_passkeys AS PERMISSIVE FOR ALL TO kasi_app
  USING (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY own_user_rows ON webauthn_challenges AS PERMISSIVE FOR ALL TO kasi_app
  USING (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid);
