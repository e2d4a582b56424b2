-- A router's /tool/fetch and a hotspot page's problem report reach /h/<token>/… with no session:
-- the bundle (and so its tenant) is found by the token's hash. SELECT-only, and only where that
-- route switched `kasi.lookup` on (ADR 0019); everything after it runs under the bundle's tenant.
DO $$
BEGIN
  IF to_regclass('hotspot_page_bundles') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasi_app')
     AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = 'hotspot_page_bundles'::regclass AND polname = 'pre_tenant_lookup') THEN
    CREATE POLICY pre_tenant_lookup ON hotspot_page_bundles AS PERMISSIVE FOR SELECT TO kasi_app
      USING (current_setting('kasi.lookup', true) = 'on');
  END IF;
END $$;
