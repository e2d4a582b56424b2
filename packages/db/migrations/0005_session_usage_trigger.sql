-- A voucher's stored usage (used_seconds, used_octets) is the total of its CLOSED sessions.
-- Open sessions are added on read (radiusd's login query and quota check), so an
-- Interim-Update only touches its own session row. PostgreSQL keeps the total, whoever closes
-- the session: a Stop, Accounting-On/Off, the stale-session sweep, or an insert that arrives
-- already stopped. A counter that still grows after the close adds only the difference.
CREATE FUNCTION kasi_add_closed_session_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.voucher_id IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' OR OLD.stopped_at IS NULL THEN
    UPDATE vouchers
       SET used_seconds = used_seconds + NEW.session_time,
           used_octets = used_octets + NEW.input_octets + NEW.output_octets
     WHERE id = NEW.voucher_id;
  ELSE
    UPDATE vouchers
       SET used_seconds = used_seconds + (NEW.session_time - OLD.session_time),
           used_octets = used_octets + (NEW.input_octets + NEW.output_octets)
                                     - (OLD.input_octets + OLD.output_octets)
     WHERE id = NEW.voucher_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER radius_sessions_closed_usage_insert
  AFTER INSERT ON radius_sessions
  FOR EACH ROW WHEN (NEW.stopped_at IS NOT NULL)
  EXECUTE FUNCTION kasi_add_closed_session_usage();--> statement-breakpoint
CREATE TRIGGER radius_sessions_closed_usage_update
  AFTER UPDATE ON radius_sessions
  FOR EACH ROW WHEN (
    NEW.stopped_at IS NOT NULL AND (
      OLD.stopped_at IS NULL
      OR NEW.session_time <> OLD.session_time
      OR NEW.input_octets <> OLD.input_octets
      OR NEW.output_octets <> OLD.output_octets))
  EXECUTE FUNCTION kasi_add_closed_session_usage();--> statement-breakpoint
-- Until now the stored usage included open sessions; from here on it holds closed ones only.
UPDATE vouchers v
   SET used_seconds = coalesce(u.seconds, 0),
       used_octets = coalesce(u.octets, 0)
  FROM (SELECT v2.id,
               sum(s.session_time)::int AS seconds,
               sum(s.input_octets + s.output_octets)::bigint AS octets
          FROM vouchers v2
          LEFT JOIN radius_sessions s ON s.voucher_id = v2.id AND s.stopped_at IS NOT NULL
         WHERE v2.used_seconds <> 0 OR v2.used_octets <> 0
         GROUP BY v2.id) u
 WHERE v.id = u.id;--> statement-breakpoint
-- Interim-Updates rewrite session rows in place: leave room on each page for HOT updates.
ALTER TABLE radius_sessions SET (fillfactor = 80);
