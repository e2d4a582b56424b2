// Stock issued by the operator reaches an online phone by itself (issue 15 item 12, ADR 0033):
// the production agent app on a 360 px phone holds its "stock changed" stream; the operator
// issues codes in the console's API; the Sell screen shows them within 5 seconds with no tap,
// and a revoked lease leaves it the same way. Offline the stream is closed and the app keeps
// working from what it holds; back online it opens the stream again and catches up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createAgent, createHourPlan, createTenant } from '../support/seed.ts';
import { enrolPhone, openPhone } from '../support/agent-phone.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1' };

let kasi: KasiProcess;
let browser: Browser;
let owner: Awaited<ReturnType<typeof apiAs>>;
let planId = '';
let context: BrowserContext;
let page: Page;
let deviceId = '';
/** When the phone's event streams opened, and when its pulls answered (ms). */
const streams: number[] = [];
const pulls: number[] = [];

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  planId = (await createHourPlan(kasi)).id;
  await kasi.cli('vouchers:generate', '--tenant', 'acme', '--plan', planId, '--count', '20');
  await createAgent(kasi, AGENT, { limit: '1000.00' });
  owner = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  browser = await launchChromium();
  ({ context, page } = await openPhone(browser, kasi.baseUrl));
  page.on('response', (r) => {
    if (r.url().includes('/events/agent') && r.status() === 200) streams.push(Date.now());
  });
  page.on('requestfinished', (r) => {
    if (r.url().includes('sync.pull')) pulls.push(Date.now());
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await kasi?.stop();
});

const products = () => page.getByRole('list', { name: 'Vouchers to sell' });
const noStock = () => page.getByText('No vouchers on this phone.');

/** Waits until the phone holds its `count`th stream and the sync its opening started has pulled. */
async function streamOpen(count: number) {
  await expect.poll(() => streams.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  const opened = streams[count - 1] ?? 0;
  await expect.poll(() => pulls.some((at) => at >= opened), { timeout: 10_000 }).toBe(true);
}

describe('stock pushed to an online phone', () => {
  it('shows stock the operator issues within 5 s, with no tap', async () => {
    deviceId = await enrolPhone(page, {
      agent: AGENT,
      operator: owner,
      label: 'Amina phone',
      codes: 0,
      planId,
    });
    await noStock().waitFor();
    await streamOpen(1);

    const issued = Date.now();
    const { lease } = await owner.agent.lease.mutate({ deviceId, planId, count: 3 });
    await products().getByText('3 left').waitFor({ timeout: 5_000 });
    expect(Date.now() - issued).toBeLessThan(5_000);

    // Taken back: it leaves the phone the same way.
    await owner.agent.revokeLease.mutate({ leaseId: lease.id });
    await noStock().waitFor({ timeout: 5_000 });
  });

  it('closes the stream offline, and reconnects and catches up when the connection is back', async () => {
    await context.setOffline(true);
    const before = streams.length;
    // Issued while the phone has no signal: it cannot know yet, and still works from what it holds.
    await owner.agent.lease.mutate({ deviceId, planId, count: 2 });
    await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name: 'Sync' }).click();
    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name: 'Sell' }).click();
    await noStock().waitFor();
    await context.setOffline(false);
    await streamOpen(before + 1);
    await products().getByText('2 left').waitFor({ timeout: 5_000 });
  });
});
