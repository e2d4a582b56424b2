-- Row-level security, part two (ADR 0019). Users are global, so a signed-in operator's own
-- rows span tenants: their sessions (listed and revoked everywhere at a password change),
-- their memberships and their second factor. These policies are keyed on `kasi.user_id`, which
-- the server sets from the session, never from input.
CREATE POLICY own_user_rows ON auth_sessions AS PERMISSIVE FOR ALL TO kasi_app
  USING (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY own_user_rows ON memberships AS PERMISSIVE FOR SELECT TO kasi_app
  USING (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY own_user_rows ON user_two_factor AS PERMISSIVE FOR ALL TO kasi_app
  USING (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('kasi.user_id', true), '')::uuid);--> statement-breakpoint
-- Objects the migrating login creates later — pg-boss's schema on first start, tables of later
-- migrations — are the server's to use without a grant of their own.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kasi_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO kasi_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO kasi_app;
