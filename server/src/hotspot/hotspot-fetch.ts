// Puts a bundle's files on the router before the configuration changes of the install plan:
// `/tool/fetch` of each file from Kasi, then the checksum check — the file read back from
// /file must have the size and SHA-256 Kasi served. Files are not configuration (safe mode
// does not undo them), and they go into a directory named by the bundle's content, so a
// failed or rolled-back install leaves the live pages as they were (docs/adr/0024).
import { createHash } from 'node:crypto';
import type { RouterClient } from '@kasi/routeros';

export interface FileFetch {
  /** Sealed in the stored plan: it carries the install's token. */
  url: string;
  dstPath: string;
  size: number;
  sha256: string;
}

/** RouterOS shows a file's contents as bytes; the API client reads them as latin1 text. */
const digestOf = (contents: string, encoding: BufferEncoding) =>
  createHash('sha256').update(Buffer.from(contents, encoding)).digest('hex');

export async function fetchFilesToRouter(client: RouterClient, fetches: readonly FileFetch[]): Promise<void> {
  for (const f of fetches) {
    await client.fetchToFile(f.url, f.dstPath);
    const row = await client.getFile(f.dstPath);
    if (!row) throw new Error(`Checksum check: ${f.dstPath} is not on the router after the download`);
    if (Number(row.size) !== f.size)
      throw new Error(
        `Checksum check: ${f.dstPath} is ${row.size ?? '?'} bytes on the router, ${f.size} sent`,
      );
    const contents = row.contents;
    if (contents === undefined) throw new Error(`Checksum check: the router does not show ${f.dstPath}`);
    if (digestOf(contents, 'utf8') !== f.sha256 && digestOf(contents, 'latin1') !== f.sha256)
      throw new Error(`Checksum check: ${f.dstPath} on the router differs from what Kasi sent`);
  }
}
