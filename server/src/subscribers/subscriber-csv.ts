// CSV text in and out of the subscriber import/export. Sync APIs: files are at most a few
// MB (the tRPC body limit; the CLI reads larger ones the same way).
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { invalid } from '@kasi/domain';

export const MAX_IMPORT_ROWS = 20_000;

export interface CsvTable {
  headers: string[];
  rows: string[][];
}

export function readCsv(text: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (e) {
    throw invalid('SUBSCRIBER.IMPORT_CSV', `The file is not valid CSV: ${(e as Error).message}`);
  }
  const [headers, ...rows] = records;
  if (!headers || rows.length === 0) {
    throw invalid('SUBSCRIBER.IMPORT_EMPTY', 'The file needs a header row and at least one subscriber');
  }
  if (rows.length > MAX_IMPORT_ROWS) {
    throw invalid('SUBSCRIBER.IMPORT_TOO_LARGE', `At most ${MAX_IMPORT_ROWS} subscribers per file`);
  }
  return { headers, rows };
}

export const writeCsv = (headers: string[], rows: unknown[][]): string =>
  stringify([headers, ...rows], { cast: { date: (d) => d.toISOString() } });
