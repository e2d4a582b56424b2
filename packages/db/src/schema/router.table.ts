// Routers Kasi manages over the RouterOS API, and the change plans that alter them.
// API passwords are encrypted under the tenant's data key; a plan records the snapshot,
// the operations and their inverses, and who asked, approved and applied it.
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns.ts';
import { nas } from './nas.table.ts';
import { users } from './user.table.ts';

export interface RouterHealth {
  reachable: boolean;
  checkedAt: string;
  version?: string;
  uptimeSeconds?: number;
  cpuLoad?: number;
  freeMemory?: number;
  totalMemory?: number;
  boardName?: string;
  error?: string;
}

export const routers = pgTable(
  'routers',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull().default(8729),
    tls: boolean('tls').notNull().default(true),
    /** Plain (unencrypted) API only when an operator chose it explicitly. */
    allowPlain: boolean('allow_plain').notNull().default(false),
    /** PEM of the CA (or self-signed certificate) to verify the router against. */
    caCert: text('ca_cert'),
    username: text('username').notNull(),
    passwordEnc: text('password_enc').notNull(),
    nasId: uuid('nas_id').references(() => nas.id, { onDelete: 'set null' }),
    identity: text('identity'),
    health: jsonb('health').$type<RouterHealth>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('routers_tenant').on(t.tenantId)],
);

export type ChangePlanStatus =
  'pending' | 'approved' | 'rejected' | 'applying' | 'applied' | 'failed' | 'rolled_back' | 'aborted';

export const changePlans = pgTable(
  'change_plans',
  {
    id: id(),
    tenantId: tenantId(),
    routerId: uuid('router_id')
      .notNull()
      .references(() => routers.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    status: text('status').$type<ChangePlanStatus>().notNull().default('pending'),
    /** Rows of the affected paths when the plan was made (drift is checked against it). */
    snapshot: jsonb('snapshot').notNull(),
    /** The typed operations with their inverses. */
    operations: jsonb('operations').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('change_plans_router').on(t.routerId, t.createdAt)],
);
