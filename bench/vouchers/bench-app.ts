// A real AppContext on the bench database, shaped like the tests' TestApp so the agent
// factories (devices with WebCrypto keys, signed ops) are reused exactly as the suites use them.
import { randomBytes } from 'node:crypto';
import { connect, Keyring, masterKeyFromBytes, runMigrations } from '@kasi/db';
import type { AppContext } from '../../server/src/app-context.ts';
import { createLogger } from '../../server/src/logger.ts';
import { addMember, createTenant } from '../../server/src/tenants/tenant.service.ts';
import type { TestApp } from '../../server/src/testing/test-app.ts';

export async function createBenchApp(url: string): Promise<TestApp> {
  // The server's default pool size (server/src/boot.ts), so concurrency is measured as deployed.
  const handle = connect(url, { max: 10, applicationName: 'kasi-bench-vouchers' });
  await runMigrations(handle);
  const app: AppContext = {
    db: handle.db,
    handle,
    keyring: new Keyring([masterKeyFromBytes(randomBytes(32))]),
    log: createLogger('silent', 'bench'),
    sessionTtlMs: 3_600_000,
  };
  return {
    app,
    url,
    close: () => handle.close(),
    async newTenant(overrides = {}) {
      const slug = overrides.slug ?? `bench-${randomBytes(4).toString('hex')}`;
      const ownerEmail = `owner@${slug}.test`;
      const ownerPassword = 'bench owner password';
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
