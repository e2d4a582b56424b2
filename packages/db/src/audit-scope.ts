// Binds the audit chain's key and head export to a database handle, so `writeAudit(tx, entry)`
// call sites stay as they are. Each transaction on the handle runs in a scope that carries
// the MAC key and collects the chain heads it wrote; once the transaction has committed the
// heads go to `exportHeads` (a rolled-back transaction exports nothing).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Executor } from './client.ts';
import type { AuditMacKey } from './audit-mac.ts';

/** The newest row of a tenant's chain after a write. */
export interface AuditHead {
  tenantId: string;
  seq: bigint;
  hash: string;
}

export interface AuditChain {
  /** The key new rows are MACed with (derived from the current master key). */
  key: AuditMacKey;
  /** Keys that verify (those of previous master keys too); defaults to `key`. */
  keys?: readonly AuditMacKey[];
  /** Called after commit with the heads the transaction wrote; must not throw. */
  exportHeads?(heads: AuditHead[]): Promise<void>;
}

interface Scope {
  chain: AuditChain;
  heads: Map<string, AuditHead>;
}

const scopes = new AsyncLocalStorage<Scope>();
const BOUND = Symbol('kasi.auditChain');

/** The scope of the transaction being run, if the handle was bound with withAuditChain. */
export function currentAuditScope(): Scope | undefined {
  return scopes.getStore();
}

/** The chain bound to the handle, if any (verification without explicit keys uses it). */
export function boundAuditChain(db: Executor): AuditChain | undefined {
  return (db as { [BOUND]?: { chain: AuditChain } })[BOUND]?.chain;
}

/**
 * Makes every `db.transaction` carry the chain. Mutates `db` in place (binding again replaces
 * the chain) so the pool handle and every holder of it agree.
 */
export function withAuditChain(db: Database, chain: AuditChain): Database {
  const target = db as Database & { [BOUND]?: { chain: AuditChain } };
  const bound = target[BOUND];
  if (bound) {
    bound.chain = chain;
    return db;
  }
  const state = { chain };
  const begin = db.transaction.bind(db);
  target[BOUND] = state;
  const transaction = async (...args: Parameters<Database['transaction']>) => {
    const scope: Scope = { chain: state.chain, heads: new Map() };
    const result: unknown = await scopes.run(scope, () => begin(...args));
    // Only now has the transaction committed: a head exported earlier could name rows that a
    // rollback removed, and verification could not tell that from truncation.
    if (scope.heads.size > 0) await state.chain.exportHeads?.([...scope.heads.values()]);
    return result;
  };
  db.transaction = transaction as Database['transaction'];
  return db;
}
