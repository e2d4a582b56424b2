// radiusd tells the rest of Kasi where it listens: a row in radius_servers written when it
// starts and refreshed every minute. The console's RADIUS settings and every change plan that
// wires a router read the ports from here, so they never assume 1812/1813.
import { hostname } from 'node:os';
import { radiusServers, type Database } from '@kasi/db';
import { sql } from 'drizzle-orm';

export const SELF_REPORT_EVERY_MS = 60_000;

export interface Listening {
  host: string;
  authPort: number;
  acctPort: number;
}

/** Writes (or replaces) this instance's row; returns a function that refreshes seen_at. */
export async function reportListening(db: Database, l: Listening, now = new Date()) {
  const instance = `${hostname()}:${l.authPort}`;
  const row = { instance, ...l, startedAt: now, seenAt: now };
  await db
    .insert(radiusServers)
    .values(row)
    .onConflictDoUpdate({ target: radiusServers.instance, set: { ...l, startedAt: now, seenAt: now } });
  return () =>
    db
      .update(radiusServers)
      .set({ seenAt: sql`now()` })
      .where(sql`${radiusServers.instance} = ${instance}`);
}
