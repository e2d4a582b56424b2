-- radiusd inserts accounting sessions: kasi_radiusd needs the id sequence of radius_sessions
-- (found by the e2e radius path under row-level security; ADR 0019).
GRANT USAGE ON SEQUENCE radius_sessions_id_seq TO kasi_radiusd;
