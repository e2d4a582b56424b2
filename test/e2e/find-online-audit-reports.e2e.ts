// Issue 15's look-ups on the production PWA and the real server with radiusd: a code logged in
// with the real radclient (auth, then accounting Start with the phone's MAC) is found from the
// header's box typed with dashes in lower case, its page shows its state, plan and MAC; the
// online list shows it and a confirmed Kick reaches a real UDP listener as a Disconnect-Request;
// the audit log filters to that kick and links it; reports show the sale day and download CSV.
// At 1024×768 and at 360×740, without sideways scrolling.
import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  Code,
  decodePacket,
  encodeResponse,
  getString,
  verifyAccountingRequestAuthenticator,
} from '@kasi/radius';
import { formatVoucherCode } from '@kasi/domain';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { apiAs } from '../support/api-client.ts';
import { radclient } from '../support/radclient.ts';
import { createTenant } from '../support/seed.ts';
import { openConsole, pageWidth, PHONE } from '../support/console-page.ts';

const SECRET = 'e2e-find-secret-123';
const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const LAPTOP = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false };
const MAC = 'AA-BB-CC-00-11-22';

let kasi: KasiProcess;
let browser: Browser;
let code = '';
let nasCoa: Socket;
const disconnects: string[] = [];

beforeAll(async () => {
  // Plays the router's `/radius incoming` listener: records Disconnect-Requests and ACKs them.
  nasCoa = createSocket('udp4');
  nasCoa.on('message', (msg, rinfo) => {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.code !== Code.DisconnectRequest) return;
    if (!verifyAccountingRequestAuthenticator(d.packet, Buffer.from(SECRET))) return;
    disconnects.push(getString(d.packet, 'User-Name') ?? '');
    const ack = encodeResponse({
      code: Code.DisconnectAck,
      identifier: d.packet.identifier,
      requestAuthenticator: d.packet.authenticator,
      attributes: [],
      secret: Buffer.from(SECRET),
    });
    nasCoa.send(ack, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => nasCoa.bind(0, '127.0.0.1', r));
  kasi = await startKasi();
  await createTenant(kasi, OWNER);
  await kasi.cli(
    'nas:add',
    '--tenant',
    'acme',
    '--name',
    'Tower A',
    '--address',
    '127.0.0.1',
    '--secret',
    SECRET,
    '--coa-port',
    String(nasCoa.address().port),
  );
  const api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  const plan = await api.plan.create.mutate({
    name: 'Day pass',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 86_400,
    priceMinor: 5000n,
    currency: 'KES',
  });
  const batch = await api.voucher.createBatch.mutate({ planId: plan.id, quantity: 3, name: 'Market cards' });
  // A printed card: its first login is a sale on the tenant's day (reports).
  await api.voucher.printRun.mutate({ batchId: batch.id, layout: 'a4', count: 1 });
  const rows = (await api.voucher.codes.query({ batchId: batch.id })).rows;
  code = rows.find((r) => r.channel === 'printed')?.code ?? '';
  await new Promise((r) => setTimeout(r, 300)); // radiusd learns of the NAS through LISTEN/NOTIFY
  const login = await radclient({
    port: kasi.radiusAuthPort,
    type: 'auth',
    timeoutS: 10,
    secret: SECRET,
    attributes: `User-Name=${code},User-Password=${code},Calling-Station-Id=${MAC},Message-Authenticator=0x00`,
  });
  expect(login.code, login.output).toBe('Access-Accept');
  const start = await radclient({
    port: kasi.radiusAcctPort,
    type: 'acct',
    timeoutS: 10,
    secret: SECRET,
    attributes: `User-Name=${code},Acct-Session-Id=find-1,NAS-Port=3,Framed-IP-Address=10.5.0.7,Calling-Station-Id=${MAC},Acct-Status-Type=Start`,
  });
  expect(start.code, start.output).toBe('Accounting-Response');
  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  nasCoa?.close();
});

for (const [name, screen] of [
  ['1024×768', LAPTOP],
  ['360×740', PHONE],
] as const) {
  describe(`on a ${name} screen`, () => {
    let page: Page;
    beforeAll(async () => {
      page = await openConsole({ browser, kasi, owner: OWNER, screen });
    }, 120_000);
    afterAll(() => page?.context().close());

    it('finds a code typed with dashes in lower case and opens its page', async () => {
      await page
        .getByRole('searchbox', { name: 'Find a code, subscriber, phone, MAC or router' })
        .fill(formatVoucherCode(code).toLowerCase());
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.waitForURL('**/find?q=*');
      const codes = page.getByRole('list', { name: 'Codes' });
      await codes.getByRole('link', { name: formatVoucherCode(code) }).click();
      await page.waitForURL(`**/vouchers/code/${code}`);
      await page.getByRole('heading', { name: formatVoucherCode(code) }).waitFor();
      const facts = await page.locator('main').textContent();
      expect(facts).toContain('In use');
      expect(facts).toContain('Day pass');
      expect(facts).toContain('Market cards');
      expect(facts).toContain(MAC);
      expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    });

    it('finds the code by the phone’s MAC in another format', async () => {
      await page
        .getByRole('searchbox', { name: 'Find a code, subscriber, phone, MAC or router' })
        .fill('aabb.cc00.1122');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page
        .getByRole('list', { name: 'Codes' })
        .getByRole('link', { name: formatVoucherCode(code) })
        .waitFor();
    });

    it('lists the code online and kicks it only after a confirmation', async () => {
      await page.goto('/online');
      const list = page.getByRole('list', { name: 'Online users' });
      await list.getByText(code).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'online' }).textContent()).toContain(
        '1 online',
      );
      const before = disconnects.length;
      await list.getByRole('button', { name: `Kick ${code}` }).click();
      const dialog = page.getByRole('dialog', { name: `Kick ${code}?` });
      await dialog.waitFor();
      expect(disconnects.length).toBe(before); // nothing sent before the confirmation
      await dialog.getByRole('button', { name: 'Kick' }).click();
      await page.getByText(`${code}: the router acknowledged the disconnect.`).waitFor();
      expect(disconnects.slice(before)).toEqual([code]);
      expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    });

    it('filters the audit log to the kick and links it to the online list', async () => {
      await page.goto('/audit');
      await page.getByLabel('Action').fill('session.kick');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL('**/audit?*action=session.kick*');
      const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
      await entries.first().waitFor();
      expect(await entries.count()).toBeGreaterThanOrEqual(1);
      for (const text of await entries.allTextContents()) expect(text).toContain('session.kick');
      await page.getByLabel('Person').fill('nobody-here');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('status').filter({ hasText: 'No entries match.' }).waitFor();
      await page.getByLabel('Person').fill('');
      await page.getByRole('button', { name: 'Show' }).click();
      await entries
        .first()
        .getByRole('link', { name: /Radius session/ })
        .click();
      await page.waitForURL('**/online');
    });

    it('shows sales by channel for the tenant’s days and downloads them as CSV', async () => {
      await page.goto('/reports');
      await page.getByRole('heading', { name: 'Reports' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'days in UTC time' }).waitFor();
      const table = page.getByRole('table', { name: 'Sales by channel' });
      const row = table.getByRole('row', { name: /Printed cards activated/ });
      expect(await row.textContent()).toContain('50.00 KES');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^sales-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await readFile((await download.path()) ?? '', 'utf8');
      expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
        'day,channel,plan,agent,currency,count,amount_minor',
      );
      expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    });
  });
}
