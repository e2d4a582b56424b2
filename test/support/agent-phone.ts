// An agent's phone as the agent uses it: the production PWA on a 360 px screen. Enrol it
// through the real screens (login, name, PIN), check the pairing code it shows is the one the
// console lists for it, have the operator approve it and lease codes
// over the API, unlock it with the PIN and sell from the Sell screen.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { apiAs } from './api-client.ts';

export const AGENT_PIN = '2468';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

type Operator = Awaited<ReturnType<typeof apiAs>>;

export async function openPhone(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, baseURL });
  return { context, page: await context.newPage() };
}

export interface Enrolment {
  agent: { email: string; password: string };
  operator: Operator;
  label: string;
  /** Codes of `planId` the operator leases once the phone is approved (0: none). */
  codes: number;
  planId: string;
}

/** Logs in, enrols the phone, has the operator approve it and lease codes; returns the device id. */
export async function enrolPhone(page: Page, e: Enrolment): Promise<string> {
  await page.goto('/agent');
  // A phone not set up yet is set up where the app opens, with no second page (ADR 0039).
  await page.getByLabel('Email').waitFor();
  if (new URL(page.url()).pathname !== '/agent') throw new Error(`setup opened at ${page.url()}`);
  await page.getByLabel('Email').fill(e.agent.email);
  await page.getByLabel('Password').fill(e.agent.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Name of this phone').fill(e.label);
  await page.getByLabel('Choose a PIN').fill(AGENT_PIN);
  await page.getByLabel('Repeat the PIN').fill(AGENT_PIN);
  await page.getByRole('button', { name: 'Enrol this phone' }).click();
  await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
  const shown = page.getByTestId('pairing-code');
  await shown.waitFor();

  const device = (await e.operator.agent.devices.query({})).find((d) => d.label === e.label);
  if (device?.status !== 'pending') throw new Error(`phone ${e.label} is ${device?.status ?? 'missing'}`);
  // The operator approves the phone whose pairing code matches the one it shows.
  const code = (await shown.textContent())?.trim();
  if (code !== device.pairingCode)
    throw new Error(`the phone shows pairing code ${code}, the console ${device.pairingCode}`);
  await e.operator.agent.approveDevice.mutate({ deviceId: device.id });
  if (e.codes) await e.operator.agent.lease.mutate({ deviceId: device.id, planId: e.planId, count: e.codes });
  // The waiting screen asks Kasi every few seconds and moves on to selling by itself.
  await page.getByRole('heading', { name: 'Sell' }).waitFor({ timeout: 20_000 });
  return device.id;
}

export async function unlockPhone(page: Page): Promise<void> {
  await page.getByLabel('Enter your PIN').fill(AGENT_PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Sell' }).waitFor();
}

/** Sells the first product on the Sell screen for cash; returns the code as stored (no dashes). */
export async function sellOne(page: Page): Promise<string> {
  await page.getByRole('list', { name: 'Vouchers to sell' }).getByRole('button').first().click();
  await page.getByRole('button', { name: 'Cash received — sell' }).click();
  const code = (await page.getByLabel('Voucher code').textContent())?.trim() ?? '';
  await page.getByRole('button', { name: 'Next sale' }).click();
  await page.getByRole('heading', { name: 'Sell' }).waitFor();
  return code.replaceAll('-', '');
}

/**
 * Puts a code on the phone that Kasi never leased to it, as a stale or tampered copy would:
 * straight into the app's IndexedDB stock, shaped as a 20.00 KES "Hour" code.
 */
export async function plantStock(page: Page, code: string): Promise<void> {
  await page.evaluate(async (planted) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('kasi-agent');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('stock', 'readwrite');
      tx.objectStore('stock').put({
        code: planted,
        product: 'Hour\u241f2000\u241fKES',
        leaseId: '00000000-0000-4000-8000-000000000000',
        planName: 'Hour',
        validityText: '1 hour',
        priceMinor: '2000',
        currency: 'KES',
        status: 'available',
      });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, code);
}
