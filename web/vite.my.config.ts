// /my's own build (ADR 0031): the subscriber's page as a plain Svelte app mounted on
// web/my/index.html, written into the SvelteKit build (web/build/my/index.html, scripts under
// /_app/immutable/my/) after `vite build`. Alone, its bundle holds only what /my uses —
// no SvelteKit client, no console code that a shared chunk would carry — which keeps it
// under issue 14's 50 KB of JavaScript (gzip). The server sends build/my/index.html for /my.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('./build', import.meta.url));

/** A .br and a .gz beside each text file, as the adapter's precompress does for the rest. */
function precompress(): Plugin {
  return {
    name: 'kasi-my-precompress',
    apply: 'build',
    async writeBundle(_options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg)$/.test(name)) continue;
        const file = join(outDir, name);
        const body = await readFile(file);
        await writeFile(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [
    paraglideVitePlugin({ project: './project.inlang' }),
    svelte({ configFile: false, compilerOptions: { runes: true, discloseVersion: false } }),
    precompress(),
  ],
  // The console's build already copied web/static; this build adds /my and its scripts only.
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: false,
    assetsDir: '_app/immutable/my',
    modulePreload: false,
    rolldownOptions: { input: fileURLToPath(new URL('./my/index.html', import.meta.url)) },
  },
});
