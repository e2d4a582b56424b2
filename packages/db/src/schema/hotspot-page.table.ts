// The hotspot login page bundles Kasi serves to routers: one row per install plan, holding the
// exact files the router fetches (so the checksums in the plan match what is served) under a
// token only the plan knows (stored hashed; the router's /tool/fetch URL carries it).
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns.ts';
import { routers } from './router.table.ts';

export const hotspotPageBundles = pgTable(
  'hotspot_page_bundles',
  {
    id: id(),
    tenantId: tenantId(),
    routerId: uuid('router_id')
      .notNull()
      .references(() => routers.id, { onDelete: 'cascade' }),
    /** sha256 (hex) of the token in the fetch URL. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The router directory the files go to, e.g. kasi-1a2b3c4d. */
    directory: text('directory').notNull(),
    /** File name → contents (login.html, md5.js…). */
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('hotspot_page_bundles_router').on(t.routerId, t.createdAt)],
);
