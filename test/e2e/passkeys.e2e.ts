// Passkeys as an owner meets them: the production PWA on the real server, driven through
// Debian's Chromium with its virtual WebAuthn authenticator (DevTools protocol: a CTAP2 platform
// authenticator with resident keys and user verification, the closest thing to a phone's or a
// laptop's built-in one). The owner adds a passkey on the Account page, logs out, and signs in
// with the password and then the passkey instead of a code. The page is opened at localhost, the
// server's public URL, because WebAuthn binds a passkey to that host name (an IP address cannot be
// a relying party). The WebAuthn helper is fetched only when a ceremony starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@passkeys.test', password: 'correct horse battery' };
/** A string of @simplewebauthn/browser that survives minification: marks the chunk that carries it. */
const WEBAUTHN_HELPER_MARK = 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY';

let kasi: KasiProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let authenticatorId = '';
/** Every script the page has fetched so far, with its text. */
const scripts: Array<{ url: string; body: string }> = [];

interface VirtualCredential {
  credentialId: string;
  rpId: string;
  signCount: number;
  isResidentCredential: boolean;
}

async function credentials(): Promise<VirtualCredential[]> {
  const out = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as {
    credentials: VirtualCredential[];
  };
  return out.credentials;
}

const helperLoaded = () => scripts.some((s) => s.body.includes(WEBAUTHN_HELPER_MARK));

async function enterPassword(): Promise<void> {
  scripts.length = 0; // a fresh page load from here
  await page.goto('/login');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER, { slug: 'passkeys', name: 'Passkey WISP' });
  browser = await launchChromium();
  // The server's public URL is http://localhost:<port> (its default): the relying party.
  context = await browser.newContext({ baseURL: kasi.baseUrl.replace('127.0.0.1', 'localhost') });
  page = await context.newPage();
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    void res
      .text()
      .then((body) => scripts.push({ url: res.url(), body }))
      .catch(() => undefined);
  });
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const added = (await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })) as { authenticatorId: string };
  authenticatorId = added.authenticatorId;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

describe('passkeys in the console', () => {
  it('adds a named passkey on the Account page, fetching the WebAuthn helper only then', async () => {
    await enterPassword();
    await page.waitForURL((url) => url.pathname === '/'); // the dashboard
    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL('**/account');
    const panel = page.getByRole('region', { name: 'Passkeys' });
    await panel.getByText('No passkeys yet.').waitFor();
    expect(helperLoaded()).toBe(false);

    await panel.getByLabel('Name for the new passkey').fill('Built-in authenticator');
    await panel.getByRole('button', { name: 'Add a passkey' }).click();
    await panel.getByText('Passkey added.').waitFor();
    await panel.getByRole('list', { name: 'Passkeys' }).getByText('Built-in authenticator').waitFor();
    await panel.getByText(/not used yet/).waitFor();
    expect(helperLoaded()).toBe(true);

    const [credential, ...more] = await credentials();
    expect(more).toEqual([]);
    expect(credential).toMatchObject({ rpId: 'localhost' });
  });

  it('after logging out, signs in with the password and then the passkey', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await enterPassword();
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
    await usePasskey.waitFor();
    // This owner has no authenticator app: the passkey is the only way on.
    expect(await page.getByLabel('Code').count()).toBe(0);
    expect(helperLoaded()).toBe(false); // the login page has not fetched it yet
    const before = (await credentials())[0]?.signCount ?? 0;
    await usePasskey.click();
    await page.waitForURL((url) => url.pathname === '/'); // the dashboard
    expect((await credentials())[0]?.signCount ?? 0).toBeGreaterThan(before);

    await page.goto('/account');
    const panel = page.getByRole('region', { name: 'Passkeys' });
    await panel.getByText(/last used/).waitFor();
  });

  it('removes the passkey with the password; then the password alone signs in', async () => {
    const panel = page.getByRole('region', { name: 'Passkeys' });
    await panel.getByRole('button', { name: 'Remove passkey Built-in authenticator' }).click();
    await panel.getByLabel('Password').fill('not the password');
    await panel.getByRole('button', { name: 'Remove passkey', exact: true }).click();
    await panel.getByRole('alert').filter({ hasText: 'That password is not right' }).waitFor();
    await panel.getByLabel('Password').fill(OWNER.password);
    await panel.getByRole('button', { name: 'Remove passkey', exact: true }).click();
    await panel.getByText('No passkeys yet.').waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await enterPassword();
    await page.waitForURL((url) => url.pathname === '/'); // the dashboard, no second step
  });
});
