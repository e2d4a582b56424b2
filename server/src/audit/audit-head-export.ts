// Exports audit chain heads after each committed write batch: appended to the head file
// (awaited, so a finished request has its head on disk) and, if configured, POSTed to a
// webhook (best effort, off the request path: heads queued while a POST is out go in the next).
import type { AuditHead } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { AuditHeadFile, headLine } from './audit-head-file.ts';

const WEBHOOK_TIMEOUT_MS = 5_000;

export interface AuditHeadExport {
  exportHeads(heads: AuditHead[]): Promise<void>;
  /** Waits for a webhook POST in flight and closes the file. */
  close(): Promise<void>;
}

export function createAuditHeadExport(opts: {
  file: string;
  webhookUrl: string | null;
  log: Logger;
}): AuditHeadExport {
  const file = new AuditHeadFile(opts.file);
  const queued = new Map<string, AuditHead>();
  let inFlight: Promise<void> | null = null;

  const post = async (heads: AuditHead[]) => {
    if (!opts.webhookUrl) return;
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: headLine(heads),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      if (!res.ok) opts.log.warn({ status: res.status }, 'audit head webhook refused the heads');
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'audit head webhook failed');
    }
  };
  const drain = () => {
    if (inFlight || queued.size === 0) return;
    const heads = [...queued.values()];
    queued.clear();
    inFlight = post(heads).finally(() => {
      inFlight = null;
      drain();
    });
  };

  return {
    async exportHeads(heads) {
      try {
        await file.append(headLine(heads));
      } catch (err) {
        // The rows are committed; failing the request would not undo them. Verification
        // still passes rows newer than the last head, so this only narrows what it can prove.
        opts.log.error({ err: (err as Error).message, file: opts.file }, 'could not append the audit head');
      }
      if (opts.webhookUrl) {
        for (const h of heads) {
          const prev = queued.get(h.tenantId);
          if (!prev || prev.seq < h.seq) queued.set(h.tenantId, h);
        }
        drain();
      }
    },
    async close() {
      while (inFlight) await inFlight;
      await file.close();
    },
  };
}
