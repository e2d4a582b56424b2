// What `pnpm start` runs first: the web build, only when its sources changed since the last
// one (see source-hash.ts). A fresh checkout or any edit still builds; a second start does not.
import { spawnSync } from 'node:child_process';
import { buildIsCurrent } from './source-hash.ts';

if (buildIsCurrent()) {
  console.log('web: build is up to date with its sources (web/build/.source-hash); not rebuilding');
} else {
  const r = spawnSync('pnpm', ['--filter', '@kasi/web', 'build'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
