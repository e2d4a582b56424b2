// Envelope encryption for secrets at rest (NAS secrets, router passwords, subscriber
// passwords, gateway keys). Each tenant has AES-256 data keys; each data key is stored
// wrapped under a master key. Rotating the master key re-wraps data keys only.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { tenantKeys } from './schema/index.ts';

export interface MasterKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'k1';

export function masterKeyFromBytes(key: Buffer): MasterKey {
  if (key.length !== 32) throw new Error('A master key is 32 bytes (base64 in configuration)');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return [iv, ct, c.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [iv, ct, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !ct || !tag) throw new Error('Malformed ciphertext');
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]);
}

export class Keyring {
  readonly #masters: Map<string, Buffer>;
  readonly #current: MasterKey;
  readonly #dataKeys = new Map<string, Buffer>();

  /** The first master key wraps new data keys; the others only unwrap (during rotation). */
  constructor(masters: MasterKey[]) {
    const [current] = masters;
    if (!current) throw new Error('Keyring needs a master key');
    this.#current = current;
    this.#masters = new Map(masters.map((m) => [m.id, m.key]));
  }

  async encrypt(db: Executor, tenantId: string, purpose: string, plaintext: string): Promise<string> {
    const { version, key } = await this.#activeDataKey(db, tenantId);
    return `${FORMAT}.${version}.${seal(key, Buffer.from(plaintext, 'utf8'), `${tenantId}/${purpose}`)}`;
  }

  async decrypt(db: Executor, tenantId: string, purpose: string, sealed: string): Promise<string> {
    const [format, version, ...rest] = sealed.split('.');
    if (format !== FORMAT || !version) throw new Error('Unknown secret format');
    const key = await this.#dataKey(db, tenantId, Number(version));
    return open(key, rest.join('.'), `${tenantId}/${purpose}`).toString('utf8');
  }

  /** Re-wraps every data key under the current master key. Ciphertexts of secrets are untouched. */
  async rewrapAll(db: Executor): Promise<number> {
    const rows = await db.select().from(tenantKeys);
    let changed = 0;
    for (const row of rows) {
      if (row.masterKeyId === this.#current.id) continue;
      const key = this.#unwrap(row.tenantId, row.version, row.masterKeyId, row.wrappedKey);
      await db
        .update(tenantKeys)
        .set({
          wrappedKey: seal(this.#current.key, key, `dk/${row.tenantId}/${row.version}`),
          masterKeyId: this.#current.id,
        })
        .where(eq(tenantKeys.id, row.id));
      changed++;
    }
    return changed;
  }

  #unwrap(tenantId: string, version: number, masterKeyId: string, wrapped: string): Buffer {
    const master = this.#masters.get(masterKeyId);
    if (!master) throw new Error(`Master key ${masterKeyId} is not configured`);
    return open(master, wrapped, `dk/${tenantId}/${version}`);
  }

  async #dataKey(db: Executor, tenantId: string, version: number): Promise<Buffer> {
    const cached = this.#dataKeys.get(`${tenantId}/${version}`);
    if (cached) return cached;
    const [row] = await db
      .select()
      .from(tenantKeys)
      .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.version, version)));
    if (!row) throw new Error('Data key not found');
    const key = this.#unwrap(tenantId, version, row.masterKeyId, row.wrappedKey);
    this.#dataKeys.set(`${tenantId}/${version}`, key);
    return key;
  }

  async #activeDataKey(db: Executor, tenantId: string): Promise<{ version: number; key: Buffer }> {
    const [row] = await db
      .select({ version: tenantKeys.version })
      .from(tenantKeys)
      .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.active, true)))
      .orderBy(desc(tenantKeys.version))
      .limit(1);
    if (row) return { version: row.version, key: await this.#dataKey(db, tenantId, row.version) };
    const key = randomBytes(32);
    const wrappedKey = seal(this.#current.key, key, `dk/${tenantId}/1`);
    await db
      .insert(tenantKeys)
      .values({ tenantId, version: 1, wrappedKey, masterKeyId: this.#current.id })
      .onConflictDoNothing();
    // Another process may have won the race: read back whichever key is stored.
    return { version: 1, key: await this.#dataKey(db, tenantId, 1) };
  }
}

/** What each encrypted secret is for; bound into the ciphertext so one cannot stand in for another. */
export const SECRET_PURPOSE = {
  nasSecret: 'nas.secret',
  routerPassword: 'router.password',
  subscriberPassword: 'subscriber.password',
} as const;
