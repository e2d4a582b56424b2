// The running radiusd instances as they report themselves: each writes its row when it starts
// listening and refreshes seen_at while it runs. The console and change plans read the ports
// routers must use from here instead of assuming 1812/1813. Not tenant data: one per install.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const radiusServers = pgTable('radius_servers', {
  /** Host name and authentication port: a restarted instance replaces its own row. */
  instance: text('instance').primaryKey(),
  /** The address radiusd is bound to (0.0.0.0: every address of its host). */
  host: text('host').notNull(),
  authPort: integer('auth_port').notNull(),
  acctPort: integer('acct_port').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});
