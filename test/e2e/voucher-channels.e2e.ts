// A code is sold once, as an operator and an agent would find it: the operator prints 10
// cards from the batch page (the codes are read back from the PDF itself), leases 10 to an
// agent's phone, the phone sells 3 with no signal; no code is in two channels, the batch
// page says where every code is, and a printed code sold by a phone ends as a conflict.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pdfTextRuns } from '@kasi/server/vouchers/print/pdf-text.testing.ts';
import { apiAs } from '../support/api-client.ts';
import { enrolPhone, openPhone, plantStock, sellOne, unlockPhone } from '../support/agent-phone.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createAgent, createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1' };

let kasi: KasiProcess;
let browser: Browser;
let owner: Awaited<ReturnType<typeof apiAs>>;
let sql: postgres.Sql;
let planId = '';
let batchId = '';

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  planId = (await createHourPlan(kasi)).id;
  const generated = await kasi.cli<{ batch: { id: string } }>(
    'vouchers:generate',
    '--tenant',
    'acme',
    '--plan',
    planId,
    '--count',
    '30',
  );
  batchId = generated.batch.id;
  await createAgent(kasi, AGENT, { limit: '1000.00' });
  owner = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  sql = postgres(kasi.env.DATABASE_URL ?? '', { max: 1 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sql?.end();
  await kasi?.stop();
});

const channels = () =>
  sql<{ code: string; channel: string; sold: boolean }[]>`
    select code, channel, sold_at is not null as sold from vouchers where batch_id = ${batchId}`;

/** The batch page's figure with this label, as the operator reads it. */
async function figure(page: Page, label: string): Promise<string> {
  const item = page
    .locator('dl > div')
    .filter({ has: page.getByRole('term').getByText(label, { exact: true }) });
  return ((await item.getByRole('definition').textContent()) ?? '').trim();
}

describe('one channel per code', () => {
  let tablet: BrowserContext;
  let operator: Page;
  let phone: { context: BrowserContext; page: Page };
  let deviceId = '';
  let printed: string[] = [];
  const sold: string[] = [];

  beforeAll(async () => {
    tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, baseURL: kasi.baseUrl });
    operator = await tablet.newPage();
    await loginAs(operator, kasi, OWNER.email, OWNER.password);
  });
  afterAll(async () => {
    await tablet?.close();
    await phone?.context.close();
  });

  it('prints 10 cards from the batch page; the PDF holds 10 codes taken out of stock', async () => {
    await operator.goto(`/vouchers/${batchId}`);
    await operator.getByLabel('How many cards').fill('10');
    await operator.getByLabel('Footer (optional)').fill('Help: 0700 000 000');
    const tab = tablet.waitForEvent('page');
    await operator.getByRole('button', { name: 'Print A4' }).click();
    await operator.getByRole('status').filter({ hasText: 'Run 1: 10 cards taken from stock.' }).waitFor();
    await (await tab).close();
    await operator.getByRole('button', { name: 'Reprint run 1' }).waitFor();

    const [run] = await owner.voucher.printRuns.query({ batchId });
    const response = await operator.request.get(`/print/runs/${run?.run.id ?? ''}.pdf`);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const text = pdfTextRuns(await response.body());
    printed = text.filter((r) => /^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/.test(r)).map((c) => c.replaceAll('-', ''));
    expect(new Set(printed).size).toBe(10);
    expect(text.filter((r) => r === 'Help: 0700 000 000')).toHaveLength(10);
    const rows = await channels();
    expect(
      rows
        .filter((r) => r.channel === 'printed')
        .map((r) => r.code)
        .sort(),
    ).toEqual([...printed].sort());
    await operator.reload();
    expect(await figure(operator, 'Printed')).toBe('10');
    expect(await figure(operator, 'In stock')).toBe('20');
  });

  it('leases 10 codes to an agent’s phone, which sells 3 with no signal', async () => {
    phone = await openPhone(browser, kasi.baseUrl);
    const { page, context } = phone;
    deviceId = await enrolPhone(page, {
      agent: AGENT,
      operator: owner,
      label: 'Amina phone',
      codes: 10,
      planId,
    });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.reload();
    await unlockPhone(page);
    for (let i = 0; i < 3; i++) sold.push(await sellOne(page));
    await context.setOffline(false);
    await expect
      .poll(async () => (await sql`select code from voucher_sales where device_id = ${deviceId}`).length, {
        timeout: 45_000,
      })
      .toBe(3);
  });

  it('has no code in two channels, and the batch page says where every code is', async () => {
    const rows = await channels();
    const leased = rows.filter((r) => r.channel === 'leased').map((r) => r.code);
    expect(leased).toHaveLength(10);
    expect(leased.filter((c) => printed.includes(c))).toEqual([]);
    expect(sold.every((c) => leased.includes(c))).toBe(true);
    expect(
      rows
        .filter((r) => r.sold)
        .map((r) => r.code)
        .sort(),
    ).toEqual([...sold].sort());
    await operator.reload();
    expect(await figure(operator, 'In stock')).toBe('10');
    expect(await figure(operator, 'Printed')).toBe('10');
    expect(await figure(operator, 'With agents')).toBe('7');
    expect(await figure(operator, 'Sold')).toBe('3');
    // A second print run can only take what is still in stock.
    await operator.getByLabel('How many cards').fill('11');
    await operator.getByRole('button', { name: 'Print 58 mm' }).click();
    await operator
      .getByRole('alert')
      .filter({ hasText: 'Only 10 codes of this batch are in stock' })
      .waitFor();
  });

  it('refuses a printed code sold by a phone, tells the agent and shows the operator a conflict', async () => {
    const second = await openPhone(browser, kasi.baseUrl);
    await enrolPhone(second.page, {
      agent: AGENT,
      operator: owner,
      label: 'Amina phone 2',
      codes: 0,
      planId,
    });
    const card = printed[0] ?? '';
    await plantStock(second.page, card);
    await second.page.reload();
    await unlockPhone(second.page);
    expect(await sellOne(second.page)).toBe(card);
    await second.page
      .getByRole('alert')
      .filter({ hasText: 'Kasi refused 1 sale' })
      .waitFor({ timeout: 30_000 });
    expect(await sql`select 1 from voucher_sales where code = ${card}`).toHaveLength(0);
    const [conflict] = await sql<
      { reason: string }[]
    >`select reason from sync_conflicts where code = ${card}`;
    expect(conflict?.reason).toBe('not_leased_to_device');
    expect((await channels()).find((r) => r.code === card)?.channel).toBe('printed');
    await operator.goto('/conflicts');
    await operator.getByText('Code not given to this phone').first().waitFor();
    await second.context.close();
  });
});
