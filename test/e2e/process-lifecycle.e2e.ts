// The run command's processes live and die together: if the server is killed outright,
// its radiusd child must not linger holding the RADIUS ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';

let kasi: KasiProcess;
beforeAll(async () => {
  kasi = await startKasi();
}, 120_000);
afterAll(async () => {
  await kasi?.stop();
});

const radiusdAlive = () =>
  fetch(kasi.metricsUrl.replace('/metrics', '/healthz')).then(
    (r) => r.ok,
    () => false,
  );

describe('process lifecycle', () => {
  it('stops radiusd when the server is killed with SIGKILL', async () => {
    expect(await radiusdAlive()).toBe(true);
    process.kill(kasi.pid, 'SIGKILL');
    await expect.poll(radiusdAlive, { timeout: 10_000, interval: 200 }).toBe(false);
  });
});
