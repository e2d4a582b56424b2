// The append-only record of audit chain heads outside PostgreSQL: one JSON line per committed
// write batch, {"at":…,"heads":[{"tenantId":…,"seq":"…","hash":…}]}. Someone with database
// access but not this file cannot hide deleted newest rows or a rewritten chain (ADR 0013).
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditHead } from '@kasi/db';

export function headLine(heads: readonly AuditHead[], at = new Date()): string {
  const list = heads.map((h) => ({ tenantId: h.tenantId, seq: h.seq.toString(), hash: h.hash }));
  return `${JSON.stringify({ at: at.toISOString(), heads: list })}\n`;
}

/** Appends lines to the file (created 0600 with its directory); one handle, O_APPEND writes. */
export class AuditHeadFile {
  readonly path: string;
  #handle: Promise<FileHandle> | null = null;

  constructor(path: string) {
    this.path = path;
  }

  async append(line: string): Promise<void> {
    this.#handle ??= mkdir(dirname(this.path), { recursive: true }).then(() => open(this.path, 'a', 0o600));
    const handle = await this.#handle.catch((e: unknown) => {
      this.#handle = null; // try again on the next batch
      throw e;
    });
    await handle.write(line);
  }

  async close(): Promise<void> {
    const handle = await this.#handle?.catch(() => null);
    this.#handle = null;
    await handle?.close();
  }
}

export interface TenantHeads {
  /** seq → MAC of every head exported for the tenant. */
  heads: Map<bigint, string>;
  /** Lines that could not be read (a write cut short by a crash leaves one). */
  unreadableLines: number;
  fileFound: boolean;
}

/** Reads the tenant's heads; a missing file means none were exported (yet). */
export async function readTenantHeads(path: string, tenantId: string): Promise<TenantHeads> {
  const heads = new Map<bigint, string>();
  let unreadableLines = 0;
  const stream = createReadStream(path, 'utf8');
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      if (!line.includes(tenantId)) continue;
      const parsed = parseLine(line);
      if (!parsed) unreadableLines++;
      for (const h of parsed ?? []) if (h.tenantId === tenantId) heads.set(BigInt(h.seq), h.hash);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { heads, unreadableLines, fileFound: false };
    throw e;
  }
  return { heads, unreadableLines, fileFound: true };
}

function parseLine(line: string): { tenantId: string; seq: string; hash: string }[] | null {
  try {
    const value = JSON.parse(line) as { heads?: unknown };
    if (!Array.isArray(value.heads)) return null;
    const ok = value.heads.every(
      (h: { tenantId?: unknown; seq?: unknown; hash?: unknown }) =>
        typeof h.tenantId === 'string' &&
        typeof h.seq === 'string' &&
        /^\d+$/.test(h.seq) &&
        typeof h.hash === 'string',
    );
    return ok ? (value.heads as { tenantId: string; seq: string; hash: string }[]) : null;
  } catch {
    return null;
  }
}
