// Two-factor sign-in as an owner meets it: the production PWA on the real server, driven through
// Debian's Chromium. The owner sets up TOTP on the Account & security page (the test reads the
// secret from the otpauth link on the page and computes codes with otplib, as an app would),
// saves the recovery codes, logs out, logs in with password and code, and signs out a session
// on another device, which then has to log in again. Last, a reset link from the CLI sets a new
// password on the /reset page, signs every session out, and leaves two-factor on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@twofactor.test', password: 'correct horse battery' };
const TABLET = {
  viewport: { width: 800, height: 1200 },
  isMobile: true,
  hasTouch: true,
  userAgent: 'Tablet Chrome/126.0 (Linux; Android 14)',
};
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  userAgent: 'Phone Firefox/128.0 (Android 14)',
};

let kasi: KasiProcess;
let browser: Browser;
let tablet: { context: BrowserContext; page: Page };
let phone: { context: BrowserContext; page: Page };
let secret = '';

async function open(device: typeof TABLET): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...device, baseURL: kasi.baseUrl });
  return { context, page: await context.newPage() };
}

async function enterPassword(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER, { slug: 'twofactor', name: 'Two Factor WISP' });
  browser = await launchChromium();
  tablet = await open(TABLET);
  phone = await open(PHONE);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

describe('two-factor sign-in in the console', () => {
  it('signs the owner in on a phone with the password alone while two-factor is off', async () => {
    await enterPassword(phone.page);
    await phone.page.waitForURL((url) => url.pathname === '/'); // the dashboard
  });

  it('sets up TOTP from the QR page and shows ten recovery codes once', async () => {
    const { page } = tablet;
    await enterPassword(page);
    await page.waitForURL((url) => url.pathname === '/'); // the dashboard
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL('**/account');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const qr = page.locator('figure svg');
    await qr.waitFor();
    const uri = await page.locator('a[data-otpauth]').getAttribute('href');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Kasi:/);
    secret = new URL(uri ?? '').searchParams.get('secret') ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByText(secret).isVisible()).resolves.toBe(true);

    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await codes.count()).toBe(10);
    expect(await codes.first().innerText()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('Signing in asks for a code from your authenticator app').waitFor();
    expect(await page.getByRole('heading', { name: 'Your recovery codes' }).count()).toBe(0);
  });

  it('after logging out, asks for the code after the password and signs in with it', async () => {
    const { page } = tablet;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await enterPassword(page);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    // The code of the next 30-second step: the current one was spent turning two-factor on.
    await page.getByLabel('Code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/'); // the dashboard
  });

  it('lists both sessions and signs out the phone, which must then log in again', async () => {
    const { page } = tablet;
    await page.goto('/account');
    const sessions = page.getByRole('region', { name: 'Where you are signed in' });
    await sessions.getByText('This device').waitFor();
    await sessions.getByText('Firefox on Android').waitFor();
    await sessions.getByRole('button', { name: /^Sign out Firefox on Android/ }).click();
    await sessions.getByText('Firefox on Android').waitFor({ state: 'detached' });
    expect(await sessions.getByText('Chrome on Android').count()).toBe(1);

    await phone.page.goto('/vouchers');
    await phone.page.waitForURL('**/login');
  });

  it('sets a new password from a reset link once, ending every session, with two-factor still on', async () => {
    const link = await kasi.cli<{ path: string }>(
      'user:reset-password',
      '--tenant',
      'twofactor',
      '--email',
      OWNER.email,
    );
    const { page } = phone;
    await page.goto(link.path);
    await page.getByLabel('New password', { exact: true }).fill('a fresh password 2');
    await page.getByLabel('New password again').fill('a fresh password 2');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password set' }).waitFor();

    await tablet.page.goto('/plans');
    await tablet.page.waitForURL('**/login');
    await page.goto(link.path);
    await page.getByLabel('New password', { exact: true }).fill('yet another password');
    await page.getByLabel('New password again').fill('yet another password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').filter({ hasText: 'expired or was already used' }).waitFor();

    await page.goto('/login');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('a fresh password 2');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  });
});
