-- Row-level security as the second wall (ADR 0019). Every table with a tenant_id shows and
-- accepts only the rows of the tenant the transaction set (`set_config('kasi.tenant_id', …, true)`);
-- unset, it shows nothing. The server connects as kasi_app and radiusd as kasi_radiusd: neither
-- owns a table nor may bypass RLS. Roles are cluster-wide, so they are created once and reused
-- by every database of the cluster (tests create many); concurrent migrations may race on them.
DO $$
BEGIN
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasi_app') THEN
      CREATE ROLE kasi_app NOLOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasi_radiusd') THEN
      CREATE ROLE kasi_radiusd NOLOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  -- The migrating login may switch to them (the default configuration: one URL, role per pool).
  BEGIN
    EXECUTE format('GRANT kasi_app, kasi_radiusd TO %I', current_user);
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'could not grant kasi_app/kasi_radiusd to %: %', current_user, SQLERRM;
  END;
END $$;--> statement-breakpoint
-- The one helper: RLS on, forced (the owner too, unless a superuser), and the tenant policy.
CREATE OR REPLACE FUNCTION kasi_tenant_rls(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t AND polname = 'tenant_isolation') THEN
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %s AS PERMISSIVE FOR ALL TO PUBLIC '
      'USING (tenant_id = nullif(current_setting(''kasi.tenant_id'', true), '''')::uuid) '
      'WITH CHECK (tenant_id = nullif(current_setting(''kasi.tenant_id'', true), '''')::uuid)', t);
  END IF;
END $$;--> statement-breakpoint
-- Run after every migration (runMigrations): tables added later get the wall and the grants
-- without anyone remembering; views read with the caller's rights, so RLS applies through them.
CREATE OR REPLACE FUNCTION kasi_secure_tenant_tables() RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.oid::regclass AS t FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
       AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
            OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'))
  LOOP
    PERFORM kasi_tenant_rls(r.t);
  END LOOP;
  FOR r IN
    SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'v'
       AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
  LOOP
    EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', r.t);
  END LOOP;
  GRANT USAGE ON SCHEMA public TO kasi_app, kasi_radiusd;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kasi_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO kasi_app;
  -- Drizzle's bookkeeping is the migrator's alone.
  IF to_regclass('drizzle.__drizzle_migrations') IS NOT NULL THEN
    REVOKE ALL ON SCHEMA drizzle FROM kasi_app, kasi_radiusd;
  END IF;
  -- pg-boss's schema (created by pg-boss itself, as the migrating login): jobs are enqueued
  -- in the server's own transactions (ADR 0009).
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss') THEN
    GRANT USAGE ON SCHEMA pgboss TO kasi_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO kasi_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO kasi_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO kasi_app;
  END IF;
END $$;--> statement-breakpoint
SELECT kasi_secure_tenant_tables();--> statement-breakpoint
-- Tables read before the tenant is known. Each extra policy is SELECT-only and keyed on a
-- setting the one code path that needs it sets (`kasi.lookup`), so an unscoped query elsewhere
-- still sees nothing (ADR 0019 lists each path).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships', 'auth_sessions', 'login_challenges', 'password_resets',
    'user_two_factor', 'pay_links', 'payment_gateways', 'agent_devices', 'agents', 'tenant_keys']
  LOOP
    IF to_regclass(t) IS NOT NULL THEN
      EXECUTE format('CREATE POLICY pre_tenant_lookup ON %I AS PERMISSIVE FOR SELECT TO kasi_app '
        'USING (current_setting(''kasi.lookup'', true) = ''on'')', t);
    END IF;
  END LOOP;
END $$;--> statement-breakpoint
-- radiusd finds the tenant from the NAS address: it reads every NAS (and the tenant keys that
-- decrypt their secrets); everything else it reads and writes under the NAS's tenant.
CREATE POLICY radiusd_nas_directory ON nas AS PERMISSIVE FOR SELECT TO kasi_radiusd USING (true);--> statement-breakpoint
CREATE POLICY radiusd_tenant_keys ON tenant_keys AS PERMISSIVE FOR SELECT TO kasi_radiusd USING (true);--> statement-breakpoint
GRANT SELECT ON nas, tenants, tenant_keys, plans, plan_versions TO kasi_radiusd;--> statement-breakpoint
GRANT SELECT, UPDATE ON vouchers, subscribers TO kasi_radiusd;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON radius_sessions TO kasi_radiusd;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON radius_servers TO kasi_radiusd;
