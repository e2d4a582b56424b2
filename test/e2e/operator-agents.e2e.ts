// The agents section as an operator uses it on a tablet: approve an agent's pending phone,
// issue it a block of codes within the agent's limit, see the synced sales raise what the
// agent owes, record a cash handover and see it drop, read the sales report, resolve a sync
// conflict, and charge the agent an adjustment. The agent's phone is played over the real
// API with a real signing key.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { canonicalSaleOp, uuidv7, type SaleOp } from '@kasi/domain';
import { keyFingerprint, pairingCode } from '@kasi/domain/pairing-code';
import { apiAs } from '../support/api-client.ts';
import { decodeSvgQr } from '../support/qr-svg.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createTenant, createHourPlan } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1', name: 'Amina Field' };
const PHONE_LABEL = 'Amina tablet';
const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

let kasi: KasiProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sql: postgres.Sql;
let agentApi: Awaited<ReturnType<typeof apiAs>>;
let keys: CryptoKeyPair;
let deviceId = '';
let agentUrl = '';
let doubleSold = '';
const pageErrors: Error[] = [];

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  const cli = (...args: string[]) => kasi.cli(...args);
  await createTenant(kasi, OWNER);
  const plan = await createHourPlan(kasi);
  await cli('vouchers:generate', '--tenant', 'acme', '--plan', plan.id, '--count', '20');
  await cli(
    'agent:add',
    '--tenant',
    'acme',
    '--email',
    AGENT.email,
    '--password',
    AGENT.password,
    '--name',
    AGENT.name,
    '--limit',
    '1000.00',
    '--commission-bps',
    '1000',
  );
  // The agent enrols a phone, exactly as the agent app does: a non-extractable P-256 key.
  agentApi = await apiAs(kasi.baseUrl, AGENT.email, AGENT.password);
  keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const device = await agentApi.agent.registerDevice.mutate({
    label: PHONE_LABEL,
    publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
  });
  deviceId = device.id;
  sql = postgres(kasi.env.DATABASE_URL ?? '', { max: 1 });
  browser = await launchChromium();
  context = await browser.newContext({ ...TABLET, baseURL: kasi.baseUrl });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sql?.end();
  await kasi?.stop();
});

/** A sale as the phone records and signs it. */
async function signedSale(code: string, seq: number) {
  const op: SaleOp = {
    saleId: uuidv7(),
    seq,
    kind: 'sale',
    code,
    amountMinor: 2000n,
    currency: 'KES',
    soldAt: new Date().toISOString(),
    buyerPhone: null,
  };
  const data = new TextEncoder().encode(canonicalSaleOp(deviceId, op));
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, data);
  return { ...op, signature: Buffer.from(sig).toString('base64') };
}

const owes = () => page.getByTestId('agent-owes').textContent();
const section = (name: string) =>
  page.getByRole('navigation', { name: 'Agents section' }).getByRole('link', { name });

describe('agents, cash and conflicts on a tablet', () => {
  it('lists the agent with a phone waiting for approval', async () => {
    await loginAs(page, kasi, OWNER.email, OWNER.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.waitForURL('**/agents');
    const card = page
      .getByRole('list', { name: 'Agents' })
      .getByRole('listitem')
      .filter({ hasText: AGENT.name });
    const text = await card.textContent();
    expect(text).toContain('1 phone waiting for approval');
    expect(text).toContain('1000.00 KES');
    expect(text).toContain('10 %');
  });

  it('approves the pending phone', async () => {
    await page.getByRole('link', { name: AGENT.name }).click();
    await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
    agentUrl = page.url();
    const phone = page.getByRole('article', { name: `Phone ${PHONE_LABEL}` });
    expect(await phone.locator('[data-status]').getAttribute('data-status')).toBe('pending');
    // Beside the pending phone: the pairing code the phone shows (derived from its own key).
    const phoneShows = pairingCode(
      await keyFingerprint(await crypto.subtle.exportKey('spki', keys.publicKey)),
    );
    expect(await phone.getByTestId('pairing-code').textContent()).toBe(phoneShows);
    await phone.getByRole('button', { name: 'Approve' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${PHONE_LABEL} is approved.` })
      .waitFor();
    await phone.locator('[data-status="approved"]').waitFor();
    expect(await owes()).toBe('0.00 KES');
  });

  it('refuses a block over the agent’s limit with a readable message, then issues one within it', async () => {
    // The only approved phone and the only plan are chosen already.
    await page.getByLabel('Number of codes').fill('60');
    await page.getByText("That is over the agent's limit.").waitFor();
    await page.getByRole('button', { name: 'Issue codes' }).click();
    await page.getByRole('alert').filter({ hasText: 'past their limit' }).waitFor();

    await page.getByLabel('Number of codes').fill('5');
    await page.getByRole('button', { name: 'Issue codes' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Issued 5 codes of Hour to ${PHONE_LABEL}.` })
      .waitFor();
    const lease = page.getByRole('list', { name: 'Leases' }).getByRole('listitem');
    await lease.filter({ hasText: '5 codes · 0 sold · 5 to sell' }).waitFor();
  });

  it('shows what the agent owes once the phone syncs three sales and one sold twice', async () => {
    const pull = await agentApi.sync.pull.query({ deviceId, cursor: null });
    const codes = pull.leased.map((l) => l.code);
    expect(codes).toHaveLength(5);
    doubleSold = codes[0] ?? '';
    const ops = [
      await signedSale(doubleSold, 1),
      await signedSale(codes[1] ?? '', 2),
      await signedSale(codes[2] ?? '', 3),
      await signedSale(doubleSold, 4),
    ];
    const { results } = await agentApi.sync.push.mutate({ deviceId, ops });
    expect(results.map((r) => r.result)).toEqual(['applied', 'applied', 'applied', 'rejected']);

    await page.reload();
    // 3 × 20.00 at face value, less 10 % commission.
    expect(await owes()).toBe('54.00 KES');
    await page.getByRole('list', { name: 'Leases' }).getByText('5 codes · 3 sold · 2 to sell').waitFor();
    const current = page.getByRole('listitem', { name: 'Current shift' });
    expect(await current.textContent()).toContain('54.00 KES');
  });

  it('records a cash handover, and what the agent owes drops', async () => {
    await page.getByLabel('Cash received').fill('50');
    expect(await page.getByLabel('Currency', { exact: true }).inputValue()).toBe('KES');
    await page.getByRole('button', { name: 'Record handover' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Recorded 50.00 KES from ${AGENT.name}. Still owed: 4.00 KES.` })
      .waitFor();
    await page
      .getByTestId('agent-owes')
      .filter({ hasText: /^4\.00 KES$/ })
      .waitFor();
    const shifts = page.getByRole('list', { name: 'Shifts' }).getByRole('listitem');
    // Exactly "Shift 1": the current shift's dates (07/12/2026…) also contain "shift 1" as a substring.
    const closed = await shifts.filter({ has: page.getByText('Shift 1', { exact: true }) }).textContent();
    expect(await shifts.count()).toBe(2);
    expect(closed).toMatch(/Expected cash\s*54\.00 KES/);
    expect(closed).toContain('Short 4.00 KES');
  });

  it('reports sales by agent, day and plan with totals, and outstanding cash', async () => {
    await section('Sales').click();
    await page.waitForURL('**/sales');
    const byAgent = page.getByRole('table', { name: 'Sales by agent' });
    const row = byAgent.getByRole('row').filter({ hasText: AGENT.name });
    expect(await row.textContent()).toContain('60.00 KES');
    expect(await page.getByTestId('sales-total-count').textContent()).toBe('3');

    await page.getByRole('button', { name: 'By plan' }).click();
    const byPlan = page.getByRole('table', { name: 'Sales by plan' });
    expect(await byPlan.getByRole('row').filter({ hasText: 'Hour' }).textContent()).toContain('60.00 KES');
    await page.getByRole('button', { name: 'By day' }).click();
    // The day reads in the tenant's locale; its <time> keeps the ISO date.
    const today = new Date().toISOString().slice(0, 10);
    await page
      .getByRole('table', { name: 'Sales by day' })
      .getByRole('row')
      .filter({ has: page.locator(`time[datetime="${today}"]`) })
      .waitFor();

    expect((await page.getByTestId('outstanding-total').textContent())?.trim()).toBe('4.00 KES');
  });

  it('explains a backwards range next to the form', async () => {
    await page.getByLabel('From').fill('2026-03-05');
    await page.getByLabel('To').fill('2026-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('alert').filter({ hasText: 'The first day comes after the last day' }).waitFor();
    expect(new URL(page.url()).search).toBe('?from=2026-03-05&to=2026-03-01');
  });

  it('resolves the conflict with a note', async () => {
    await section('Conflicts').click();
    await page.waitForURL('**/conflicts');
    const conflict = page.getByRole('article', { name: `Sold twice, code ${doubleSold}` });
    const text = await conflict.textContent();
    expect(text).toContain(AGENT.name);
    expect(text).toContain(PHONE_LABEL);
    expect(text).toContain('20.00 KES');
    await conflict.getByRole('button', { name: 'Resolve…' }).click();
    await conflict.getByRole('button', { name: 'Mark resolved' }).click();
    expect(await conflict.getByLabel('Resolution note').getAttribute('aria-invalid')).toBe('true');
    await conflict.getByLabel('Resolution note').fill('Sold once; the phone retried a stale copy');
    await conflict.getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByRole('status').filter({ hasText: 'Resolved: Sold twice.' }).waitFor();
    await page.getByText('No open conflicts.').waitFor();

    await page.getByRole('link', { name: 'Resolved', exact: true }).click();
    await page
      .getByRole('article', { name: `Sold twice, code ${doubleSold}` })
      .getByText('Sold once')
      .waitFor();
  });

  it('marks the phone lost after saying how many unsold codes get locked', async () => {
    await page.goto(agentUrl);
    const phone = page.getByRole('article', { name: `Phone ${PHONE_LABEL}` });
    await phone.getByRole('button', { name: 'Mark lost' }).click();
    const dialog = page.getByRole('dialog', { name: `Mark ${PHONE_LABEL} as lost?` });
    expect(await dialog.textContent()).toContain('Its 2 unsold codes will be locked in RADIUS at once');
    await dialog.getByLabel('Reason (optional)').fill('Stolen at the market');
    await dialog.getByRole('button', { name: 'Mark lost' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${PHONE_LABEL} is marked lost; 2 unsold codes locked.` })
      .waitFor();
    await phone.locator('[data-status="lost"]').waitFor();
    expect(await phone.getByRole('button').count()).toBe(0);
    const [locked] = await sql<{ n: number }[]>`select count(*)::int as n from vouchers where locked`;
    expect(locked?.n).toBe(2);
  });

  it('records an adjustment charged to the agent, and what the agent owes rises', async () => {
    await page.getByLabel('Agent owes more').check();
    await page.getByLabel('Adjustment amount').fill('6');
    await page.getByLabel('Reason for the adjustment').fill('Short at the Friday count');
    await page.getByRole('button', { name: 'Record adjustment' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Charged 6.00 KES to ${AGENT.name}. Now owed: 10.00 KES.` })
      .waitFor();
    await page
      .getByTestId('agent-owes')
      .filter({ hasText: /^10\.00 KES$/ })
      .waitFor();
  });

  it('audited every step', async () => {
    const rows = await sql<{ action: string }[]>`select action from audit_log order by id`;
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'device.approve',
        'lease.create',
        'cash.handover',
        'cash.adjustment',
        'sync_conflict.resolve',
        'device.lost',
      ]),
    );
  });

  it('fits a 360 px phone without sideways scrolling', async () => {
    const phone = await browser.newContext({ ...PHONE, baseURL: kasi.baseUrl });
    const small = await phone.newPage();
    await loginAs(small, kasi, OWNER.email, OWNER.password);
    small.on('pageerror', (e) => pageErrors.push(e));
    for (const path of ['/agents', new URL(agentUrl).pathname, '/sales', '/conflicts?state=resolved']) {
      await small.goto(path);
      await small.getByRole('heading', { level: 1 }).waitFor();
      expect(await small.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
    await phone.close();
    expect(pageErrors).toEqual([]);
  });

  it('adds an agent from the form and shows the agent app address with a QR code that reads as it', async () => {
    await page.goto('/agents');
    const form = page.locator('#new-agent');
    await form.getByLabel('Name', { exact: true }).fill('Baraka Shop');
    await form.getByLabel('Email', { exact: true }).fill('baraka@acme.test');
    await form.getByLabel('Password', { exact: true }).fill('baraka password 1');
    await form.getByRole('button', { name: 'Add agent' }).click();
    const appUrl = `${kasi.baseUrl}/agent`;
    await form
      .getByText(`Baraka Shop can now log in as baraka@acme.test: on their phone, open ${appUrl}`)
      .waitFor();
    const qr = form.getByTestId('agent-app-qr');
    await qr.locator('svg').waitFor();
    expect(decodeSvgQr(await qr.locator('svg').evaluate((svg) => svg.outerHTML))).toBe(appUrl);
    expect(await qr.getByRole('img').getAttribute('aria-label')).toContain(appUrl);
    expect(await qr.locator('svg').getAttribute('aria-hidden')).toBe('true');
    expect(pageErrors).toEqual([]);
  });
});
