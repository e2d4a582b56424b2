import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Keyring, masterKeyFromBytes } from './keyring.ts';
import { createTestDatabase } from './testing.ts';
import { tenants, tenantKeys } from './schema/index.ts';
import type { DbHandle } from './client.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
let tenantId: string;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  const [t] = await db.handle.db
    .insert(tenants)
    .values({ name: 'k', slug: 'k', currency: 'USD' })
    .returning();
  tenantId = t?.id ?? '';
});
afterAll(() => db.drop());

describe('Keyring', () => {
  it('rotates the master key by re-wrapping data keys; old ciphertexts still open', async () => {
    const oldKey = masterKeyFromBytes(randomBytes(32));
    const newKey = masterKeyFromBytes(randomBytes(32));
    const sealed = await new Keyring([oldKey]).encrypt(db.handle.db, tenantId, 'nas.secret', 's3cret!');
    expect(sealed).not.toContain('s3cret');

    const rotating = new Keyring([newKey, oldKey]);
    expect(await rotating.rewrapAll(db.handle.db)).toBe(1);
    const [row] = await db.handle.db.select().from(tenantKeys);
    expect(row?.masterKeyId).toBe(newKey.id);
    expect(await new Keyring([newKey]).decrypt(db.handle.db, tenantId, 'nas.secret', sealed)).toBe('s3cret!');
    await expect(new Keyring([oldKey]).decrypt(db.handle.db, tenantId, 'nas.secret', sealed)).rejects.toThrow(
      /not configured/,
    );
  });

  it('binds a ciphertext to its purpose', async () => {
    const k = new Keyring([masterKeyFromBytes(randomBytes(32))]);
    const [t2] = await db.handle.db
      .insert(tenants)
      .values({ name: 'k2', slug: 'k2', currency: 'USD' })
      .returning();
    const sealed = await k.encrypt(db.handle.db, t2?.id ?? '', 'nas.secret', 'x');
    await expect(k.decrypt(db.handle.db, t2?.id ?? '', 'router.password', sealed)).rejects.toThrow();
  });
});
