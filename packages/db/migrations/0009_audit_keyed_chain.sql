-- Rows written before keyed MACs become the legacy prefix of each tenant's chain: they get
-- their chain position (the id order the old verifier followed) and mac_key_id stays null,
-- which marks their hash as the old unkeyed SHA-256. The first keyed row covers the last
-- legacy hash, so the prefix is pinned under the key from then on (ADR 0013).
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
UPDATE "audit_log" a SET "seq" = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS seq FROM "audit_log") n
  WHERE a.id = n.id;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "mac_key_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_tenant_seq" ON "audit_log" USING btree ("tenant_id","seq");
