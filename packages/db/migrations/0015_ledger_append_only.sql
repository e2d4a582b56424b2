-- The ledger is append-only: corrections are new entries (credit notes, refunds, adjustments).
-- Only the removal of a whole tenant (its row already gone in the cascade) may delete entries.
CREATE FUNCTION ledger_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'check_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_refuse_change();--> statement-breakpoint
-- The one owner of "balance": the sum of a subscriber's ledger entries (positive = owes).
CREATE VIEW subscriber_balances AS
  SELECT tenant_id, subscriber_id, currency, sum(amount_minor)::bigint AS balance_minor
  FROM ledger_entries GROUP BY tenant_id, subscriber_id, currency;--> statement-breakpoint
-- Plans that existed before versions: their current terms are version 1.
INSERT INTO plan_versions (tenant_id, plan_id, version, price_minor, currency, billing_period_unit,
  billing_period_count, billing_mode, installation_fee_minor, snapshot)
SELECT tenant_id, id, version, price_minor, currency, billing_period_unit, billing_period_count,
  billing_mode, installation_fee_minor, to_jsonb(plans) FROM plans;
