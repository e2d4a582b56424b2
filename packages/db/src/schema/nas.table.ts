// NAS: the routers that talk RADIUS to Kasi. Looked up by source address; the
// shared secret is stored encrypted under the tenant's data key.
import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns.ts';

export const nas = pgTable(
  'nas',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    /** Source IP address the router sends RADIUS from (one NAS per address, across tenants). */
    address: text('address').notNull(),
    secretEnc: text('secret_enc').notNull(),
    /** BlastRADIUS: Access-Requests without Message-Authenticator are dropped unless switched off. */
    requireMessageAuthenticator: boolean('require_message_authenticator').notNull().default(true),
    coaPort: integer('coa_port').notNull().default(3799),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('nas_address').on(t.address), uniqueIndex('nas_tenant_name').on(t.tenantId, t.name)],
);
