// Cross-check: a third-party client (node-routeros 1.6.9, as resolved in this workspace, which
// applies patches/node-routeros@1.6.9.patch) talks to the emulator over real sockets.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { RouterOSAPI } from 'node-routeros';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim | undefined;
let api: RouterOSAPI | undefined;

afterEach(async () => {
  await api?.close().catch(() => undefined);
  api = undefined;
  await sim?.close();
});

async function connect(version: '6.49' | '7.18', password = 'pw'): Promise<RouterOSAPI> {
  sim = await startRouterOsSim({ version, users: [{ name: 'admin', password: 'pw', group: 'full' }] });
  api = new RouterOSAPI({ host: '127.0.0.1', port: sim.port, user: 'admin', password, timeout: 3 });
  api.on('error', () => undefined);
  await api.connect();
  return api;
}

describe.each(['6.49', '7.18'] as const)('node-routeros against the %s profile', (version) => {
  it('logs in and prints with a query', async () => {
    const client = await connect(version);
    expect(await client.write('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    const rows = await client.write('/interface/print', ['?running=false', '=.proplist=.id,name']);
    expect(rows).toEqual([
      { '.id': '*4', name: 'ether4' },
      { '.id': '*5', name: 'ether5' },
    ]);
  });

  it('gets the new id from add and a rejected promise with RouterOS text on a duplicate', async () => {
    const client = await connect(version);
    expect(await client.write('/ppp/secret/add', ['=name=amina', '=password=a'])).toEqual([{ ret: '*1' }]);
    await expect(client.write('/ppp/secret/add', ['=name=amina'])).rejects.toThrow(
      'failure: secret with the same name already exists',
    );
  });
});

describe('node-routeros edge cases', () => {
  it('fails to connect with a wrong password', async () => {
    await expect(connect('7.18', 'wrong')).rejects.toMatchObject({ errno: 'CANTLOGIN' });
  });

  it('handles !empty as the workspace copy is built to: patched → [], unpatched → process crash', async () => {
    sim = await startRouterOsSim({
      version: '7.18',
      users: [{ name: 'admin', password: 'pw', group: 'full' }],
    });
    // Run the client in a child process: unpatched 1.6.9 throws from inside its socket handler
    // ("Tried to process unknown reply: !empty"), which would take the test worker down with it.
    const main = createRequire(import.meta.url).resolve('node-routeros');
    const patched = readFileSync(join(main, '..', 'Channel.js'), 'utf8').includes("reply === '!empty'");
    const script = `
      const { RouterOSAPI } = require(${JSON.stringify(main)});
      const api = new RouterOSAPI({ host: '127.0.0.1', port: ${sim.port}, user: 'admin', password: 'pw', timeout: 3 });
      api.connect().then(() => api.write('/ip/hotspot/active/print'))
        .then((rows) => { console.log(JSON.stringify(rows)); return api.close(); });`;
    const outcome = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['-e', script], { timeout: 10_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    if (patched) {
      expect(outcome).toMatchObject({ code: 0, stdout: '[]\n' });
    } else {
      expect(outcome.code).not.toBe(0);
      expect(outcome.stderr).toContain('unknown reply: !empty');
    }
  });
});
