// Column helpers shared by every table: ids, tenant ownership, timestamps.
import { bigint, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenant.table.ts';

export const id = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });
/** 64-bit integers that must stay exact in JS (money, octets). */
export const bigintExact = (name: string) => bigint(name, { mode: 'bigint' });
