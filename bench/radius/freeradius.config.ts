// A private copy of Debian's /etc/freeradius/3.0, changed only where the protocol says:
// loopback ports in the `listen` sections (freeradius -i/-p would give a listener with no
// virtual server), the sql module on the bench database, `sql` in `session` for
// Simultaneous-Use, the bench secret on the localhost client, and paths into the copy.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { editBlocks, replaceLine } from './config-text.ts';

export const DEBIAN_RADDB = '/etc/freeradius/3.0';

export interface FreeradiusPorts {
  auth: number;
  acct: number;
  innerTunnel: number;
}

export interface FreeradiusSettings {
  threadPool: Record<string, number>;
  sqlPool: string;
  maxRequests: number;
  rejectDelaySeconds: number;
}

export async function writeFreeradiusConfig(
  dir: string,
  databaseUrl: string,
  ports: FreeradiusPorts,
  secret: string,
): Promise<string> {
  const raddb = join(dir, 'raddb');
  await cp(DEBIAN_RADDB, raddb, { recursive: true, verbatimSymlinks: true });
  await mkdir(join(dir, 'log'), { recursive: true });
  await mkdir(join(dir, 'run'), { recursive: true });
  await edit(join(raddb, 'radiusd.conf'), (text) =>
    [
      ['logdir', join(dir, 'log')],
      ['raddbdir', raddb],
      ['run_dir', join(dir, 'run')],
    ].reduce(
      (t, [key = '', value = '']) =>
        replaceLine(t, new RegExp(`^${key}[ \\t]*=.*$`, 'm'), `${key} = ${value}`),
      text,
    ),
  );
  await edit(join(raddb, 'sites-available/default'), (text) => defaultSite(text, ports));
  await edit(join(raddb, 'sites-available/inner-tunnel'), (text) =>
    replaceLine(text, /^([ \t]*port[ \t]*=[ \t]*)18120[ \t]*$/m, `$1${ports.innerTunnel}`),
  );
  await edit(join(raddb, 'mods-available/sql'), (text) => sqlModule(text, databaseUrl));
  await symlink('../mods-available/sql', join(raddb, 'mods-enabled/sql'));
  await edit(join(raddb, 'clients.conf'), (text) =>
    text.replace(/^([ \t]*secret[ \t]*=[ \t]*)testing123[ \t]*$/gm, `$1${secret}`),
  );
  // Debian's freeradius drops privileges to freerad after reading its configuration.
  execFileSync('chown', ['-R', 'freerad:freerad', dir]);
  return raddb;
}

function defaultSite(text: string, ports: FreeradiusPorts): string {
  const listening = editBlocks(text, 'listen', (block) => {
    if (/^[ \t]*ipv6addr[ \t]*=/m.test(block)) return ''; // loopback IPv4 only
    const port = /^[ \t]*type[ \t]*=[ \t]*acct/m.test(block) ? ports.acct : ports.auth;
    const bound = replaceLine(block, /^([ \t]*ipaddr[ \t]*=[ \t]*)\*.*$/m, '$1127.0.0.1');
    return replaceLine(bound, /^([ \t]*port[ \t]*=[ \t]*)0[ \t]*$/m, `$1${port}`);
  });
  // Simultaneous-Use is checked by the `session` section; Debian ships `sql` commented out there.
  return editBlocks(listening, 'session', (block) => replaceLine(block, /^#([ \t]*sql[ \t]*)$/m, '$1'));
}

function sqlModule(text: string, databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const connection = [
    `\tserver = "${url.hostname}"`,
    `\tport = ${url.port || '5432'}`,
    `\tlogin = "${decodeURIComponent(url.username) || 'postgres'}"`,
    `\tpassword = "${decodeURIComponent(url.password)}"`,
  ].join('\n');
  let out = replaceLine(text, /^[ \t]*dialect[ \t]*=[ \t]*"sqlite"[ \t]*$/m, '\tdialect = "postgresql"');
  out = replaceLine(
    out,
    /^[ \t]*driver[ \t]*=[ \t]*"rlm_sql_null"[ \t]*$/m,
    '\tdriver = "rlm_sql_${dialect}"',
  );
  out = replaceLine(out, /^#[ \t]*server[ \t]*=[ \t]*"localhost"[ \t]*$/m, connection);
  return replaceLine(
    out,
    /^[ \t]*radius_db[ \t]*=[ \t]*"radius"[ \t]*$/m,
    `\tradius_db = "${url.pathname.slice(1)}"`,
  );
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  await writeFile(path, change(await readFile(path, 'utf8')));
}

/** The knobs that bound FreeRADIUS's concurrency, read back from the copy for the report. */
export async function describeFreeradius(raddb: string): Promise<FreeradiusSettings> {
  const conf = await readFile(join(raddb, 'radiusd.conf'), 'utf8');
  const num = (key: string) => Number(new RegExp(`^\\s*${key}\\s*=\\s*(\\d+)`, 'm').exec(conf)?.[1] ?? NaN);
  const threadPool = Object.fromEntries(
    ['start_servers', 'max_servers', 'min_spare_servers', 'max_spare_servers'].map((k) => [k, num(k)]),
  );
  return {
    threadPool,
    sqlPool: `start=${threadPool.start_servers} min=${threadPool.min_spare_servers} max=${threadPool.max_servers} spare=${threadPool.max_spare_servers} (mods-available/sql pool{} follows thread pool{})`,
    maxRequests: num('max_requests'),
    rejectDelaySeconds: num('reject_delay'),
  };
}
