// Gives a database handle its audit chain: the MAC keys derived from the master keys (the first
// signs new rows, all verify) and the head export. Used by boot and by the test app.
import { deriveAuditMacKey, withAuditChain, type AuditMacKey, type Database, type MasterKey } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { createAuditHeadExport, type AuditHeadExport } from './audit-head-export.ts';

export interface AppAudit {
  keys: readonly AuditMacKey[];
  headFile: string;
  heads: AuditHeadExport;
}

export function setUpAudit(
  db: Database,
  opts: { masterKeys: readonly MasterKey[]; headFile: string; webhookUrl: string | null; log: Logger },
): AppAudit {
  const keys = opts.masterKeys.map(deriveAuditMacKey);
  const [key] = keys;
  if (!key) throw new Error('The audit chain needs a master key');
  const heads = createAuditHeadExport({ file: opts.headFile, webhookUrl: opts.webhookUrl, log: opts.log });
  withAuditChain(db, { key, keys, exportHeads: (h) => heads.exportHeads(h) });
  return { keys, headFile: opts.headFile, heads };
}
