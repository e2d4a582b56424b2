import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoRouterBanner, startDemoNetwork, type DemoNetwork } from './demo-router.ts';

let dir: string;
const started: DemoNetwork[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kasi-demo-router-'));
});
afterEach(async () => {
  for (const n of started.splice(0)) await n.router.close();
  await rm(dir, { recursive: true, force: true });
});

const start = async () => {
  const n = await startDemoNetwork(dir, 0);
  started.push(n);
  return n;
};

describe('demo router password', () => {
  it('is printed by the start that made it, and never again', async () => {
    const first = await start();
    const { password } = first.router.credentials;
    expect(demoRouterBanner(first)).toContain(password);
    expect((await stat(first.passwordFile)).mode & 0o777).toBe(0o600);
    await first.router.close();
    started.pop();

    const second = await start();
    // The same password, so a router onboarded in the demo keeps working after a restart.
    expect(second.router.credentials.password).toBe(password);
    expect(second.created).toBe(false);
    expect(demoRouterBanner(second)).not.toContain(password);
    expect(demoRouterBanner(second)).toContain(second.passwordFile);
  });
});
