// A real AppContext on a fresh database for one test suite, plus factories that go
// through the real services.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { Keyring, masterKeyFromBytes } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import type { Actor, AppContext } from '../app-context.ts';
import { createLogger } from '../logger.ts';
import { addMember, createTenant } from '../tenants/tenant.service.ts';

export interface TestApp {
  app: AppContext;
  url: string;
  close(): Promise<void>;
  newTenant(overrides?: {
    slug?: string;
    currency?: string;
  }): Promise<{ actor: Actor; ownerEmail: string; ownerPassword: string }>;
}

export async function createTestApp(): Promise<TestApp> {
  const db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  const app: AppContext = {
    db: db.handle.db,
    handle: db.handle,
    keyring: new Keyring([masterKeyFromBytes(randomBytes(32))]),
    log: createLogger('silent', 'test'),
    sessionTtlMs: 3_600_000,
  };
  return {
    app,
    url: db.url,
    close: db.drop,
    async newTenant(overrides = {}) {
      const slug = overrides.slug ?? `t-${randomBytes(4).toString('hex')}`;
      const ownerEmail = `owner@${slug}.test`;
      const ownerPassword = 'correct horse battery';
      const tenant = await createTenant(app.db, { name: slug, slug, currency: overrides.currency ?? 'KES' });
      const owner = await addMember(app.db, {
        tenantId: tenant.id,
        email: ownerEmail,
        name: 'Owner',
        password: ownerPassword,
        role: 'owner',
      });
      return {
        actor: { tenantId: tenant.id, userId: owner.id, label: ownerEmail, role: 'owner', requestId: null },
        ownerEmail,
        ownerPassword,
      };
    },
  };
}
