// Loads the master key from configuration, or generates one into the data directory
// on first run (development and single-box installs). Production sets KASI_MASTER_KEY.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { masterKeyFromBytes, type MasterKey } from './keyring.ts';

export interface MasterKeySource {
  /** base64 of 32 bytes. */
  key?: string | undefined;
  /** Older keys still accepted for unwrapping during rotation (base64, comma-separated). */
  previous?: string | undefined;
  /** Where to keep a generated key when none is configured. */
  file: string;
}

function decode(b64: string): MasterKey {
  return masterKeyFromBytes(Buffer.from(b64.trim(), 'base64'));
}

export async function loadMasterKeys(
  source: MasterKeySource,
): Promise<{ keys: MasterKey[]; generated: boolean }> {
  const previous = (source.previous ?? '').split(',').filter(Boolean).map(decode);
  if (source.key) return { keys: [decode(source.key), ...previous], generated: false };
  try {
    return { keys: [decode(await readFile(source.file, 'utf8')), ...previous], generated: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dirname(source.file), { recursive: true });
  const b64 = randomBytes(32).toString('base64');
  await writeFile(source.file, b64 + '\n', { mode: 0o600, flag: 'wx' }).catch(
    async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    },
  );
  return { keys: [decode(await readFile(source.file, 'utf8')), ...previous], generated: true };
}
