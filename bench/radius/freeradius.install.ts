// Makes sure Debian's FreeRADIUS and its PostgreSQL driver are installed (apt-get if not).
import { execFileSync } from 'node:child_process';

const PACKAGES = ['freeradius', 'freeradius-postgresql'];

function installed(pkg: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).includes(
      'install ok installed',
    );
  } catch {
    return false;
  }
}

export function ensureFreeradius(log: (line: string) => void): void {
  const missing = PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return;
  log(`installing ${missing.join(', ')} with apt-get`);
  // `env` adds DEBIAN_FRONTEND for apt-get alone: no prompts, and no change to this process.
  const apt = (...args: string[]) =>
    execFileSync('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { stdio: 'inherit' });
  apt('update');
  apt('install', '-y', '--no-install-recommends', ...missing);
}
