// RADIUS clients by source address, with decrypted secrets, held in memory.
// Reloaded whenever a NAS row changes (pg_notify('kasi_nas') from the server).
import type { DbHandle, Keyring } from '@kasi/db';
import { nas, SECRET_PURPOSE } from '@kasi/db';

export interface NasEntry {
  id: string;
  tenantId: string;
  name: string;
  address: string;
  secret: Buffer;
  requireMessageAuthenticator: boolean;
  coaPort: number;
}

export class NasCache {
  #byAddress = new Map<string, NasEntry>();
  readonly #handle: DbHandle;
  readonly #keyring: Keyring;

  constructor(handle: DbHandle, keyring: Keyring) {
    this.#handle = handle;
    this.#keyring = keyring;
  }

  get size(): number {
    return this.#byAddress.size;
  }

  /** Lookups answered (a known client) and not (an unknown source address). */
  readonly stats = { hits: 0, misses: 0 };

  lookup(address: string): NasEntry | undefined {
    const entry = this.#byAddress.get(address.startsWith('::ffff:') ? address.slice(7) : address);
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry;
  }

  async reload(): Promise<void> {
    const rows = await this.#handle.db.select().from(nas);
    const next = new Map<string, NasEntry>();
    for (const r of rows) {
      const secret = await this.#keyring.decrypt(
        this.#handle.db,
        r.tenantId,
        SECRET_PURPOSE.nasSecret,
        r.secretEnc,
      );
      next.set(r.address, {
        id: r.id,
        tenantId: r.tenantId,
        name: r.name,
        address: r.address,
        secret: Buffer.from(secret, 'utf8'),
        requireMessageAuthenticator: r.requireMessageAuthenticator,
        coaPort: r.coaPort,
      });
    }
    this.#byAddress = next;
  }

  /** Loads now and follows changes. Resolves once the first load is done. */
  async follow(onError: (e: unknown) => void): Promise<void> {
    await this.#handle.sql.listen(
      'kasi_nas',
      () => {
        this.reload().catch(onError);
      },
      () => {
        // (Re)connected: catch up on anything missed while the listener was down.
        this.reload().catch(onError);
      },
    );
    await this.reload();
  }
}
