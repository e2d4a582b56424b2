DELETE FROM otp_challenges WHERE tenant_id IS NULL OR subscriber_id IS NULL;--> statement-breakpoint
ALTER TABLE "otp_challenges" ALTER COLUMN "tenant_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "otp_challenges" ALTER COLUMN "subscriber_id" SET NOT NULL;--> statement-breakpoint
-- The subscriber's sign-in to /my (ADR 0023) finds the tenant from the subscriber: by the phone
-- number or user name typed, by the /my cookie's session, with the country codes tenants set
-- for SMS. SELECT-only, and only where the sign-in path switched `kasi.lookup` on (ADR 0019);
-- every write after it runs under the subscriber's tenant.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['subscribers', 'subscriber_sessions', 'sms_settings'] LOOP
    IF to_regclass(t) IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasi_app')
       AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t::regclass AND polname = 'pre_tenant_lookup') THEN
      EXECUTE format('CREATE POLICY pre_tenant_lookup ON %I AS PERMISSIVE FOR SELECT TO kasi_app '
        'USING (current_setting(''kasi.lookup'', true) = ''on'')', t);
    END IF;
  END LOOP;
END $$;
