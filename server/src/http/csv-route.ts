// GET /csv/<list>.csv?<the list's filters> — every console list as a CSV file, through one
// handler: the session cookie signs the operator in (as for PDFs), the list's service
// authorises, rows are written page by page as they are read (a 100k-code export never sits
// in memory whole), and cells that a spreadsheet would run as a formula are defused.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notFound } from '@kasi/domain';
import { withTenantLookup, writeAudit } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { sendError, sessionActor } from './pdf-route.ts';

export const CSV_PATH_PREFIX = '/csv/';

export type CsvCell = string | number | bigint | boolean | Date | null | undefined;

export interface CsvList {
  /** The file's name without ".csv"; also its path: /csv/<name>.csv. */
  name: string;
  headers: string[];
  /** Pages of rows; the service behind it authorises on its first call. */
  rows(actor: Actor, query: URLSearchParams): AsyncIterable<CsvCell[][]>;
  /** Personal data in bulk: the export itself is audited. */
  audited?: boolean;
}

/**
 * One cell, RFC 4180 quoted. A text starting with = + - @ (or a tab or carriage return,
 * which some spreadsheets skip first) is prefixed with an apostrophe so it stays text
 * (OWASP "CSV injection"); numbers are written as numbers, so "-5" as a number is untouched.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: CsvCell[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** Waits for the socket to drain when the client reads slower than the database answers. */
function write(res: ServerResponse, chunk: string): Promise<void> {
  return res.write(chunk) ? Promise.resolve() : new Promise((ok) => res.once('drain', ok));
}

export function csvRouteHandler(app: AppContext, lists: CsvList[]) {
  const byName = new Map(lists.map((l) => [l.name, l]));
  // sessionActor names the tenant; until then only the pre-tenant lookups (ADR 0019).
  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withTenantLookup(async () => {
      const requestId = randomUUID();
      res.setHeader('x-request-id', requestId);
      res.setHeader('cache-control', 'no-store');
      const url = new URL(req.url ?? '/', 'http://kasi.invalid');
      const name = /^\/csv\/([a-z-]+)\.csv$/.exec(url.pathname)?.[1];
      const list = name ? byName.get(name) : undefined;
      try {
        if (req.method !== 'GET' || !list) throw notFound('CSV.NO_SUCH_LIST', 'No such list');
        const actor = await sessionActor(app, req, requestId);
        const pages = list.rows(actor, url.searchParams)[Symbol.asyncIterator]();
        // The first page before the headers: a refused role or a bad filter is still an HTTP error.
        let page = await pages.next();
        const day = new Date().toISOString().slice(0, 10);
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${list.name}-${day}.csv"`,
        });
        await write(res, `\uFEFF${csvLine(list.headers)}`);
        let count = 0;
        while (!page.done) {
          count += page.value.length;
          await write(res, page.value.map(csvLine).join(''));
          page = await pages.next();
        }
        if (list.audited) {
          await writeAudit(app.db, {
            ...auditActor(actor),
            action: 'csv.export',
            entityType: list.name,
            after: { count, filter: Object.fromEntries(url.searchParams) },
          });
        }
        res.end();
      } catch (err) {
        // After the headers a failure can only cut the file short; the log says why.
        if (res.headersSent) {
          app.log.error({ err, requestId }, `csv ${list?.name ?? ''} failed mid-stream`);
          res.destroy();
          return;
        }
        sendError(app, res, err, requestId, `csv ${list?.name ?? url.pathname}`);
      }
    });
}

/** Pages through a keyset list until a page comes back short. */
export async function* keysetPages<Row, Key>(
  page: (after: Key | undefined) => Promise<{ rows: Row[]; next: Key | null }>,
  toCells: (row: Row) => CsvCell[],
): AsyncIterable<CsvCell[][]> {
  let after: Key | undefined;
  for (;;) {
    const { rows, next } = await page(after);
    yield rows.map(toCells);
    if (next === null) return;
    after = next;
  }
}
