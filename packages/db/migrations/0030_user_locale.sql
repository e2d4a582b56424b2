-- The console language a person chose (ADR 0030); null follows the tenant's locale. Users are
-- global (no row-level security on this table), so the column needs no policy of its own.
ALTER TABLE "users" ADD COLUMN "locale" text;