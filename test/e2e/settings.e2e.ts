// Settings as an owner meets them on a tablet (1024×768) and a phone (360×740): the business
// form (with SMS retention in days, refused when not a whole number from 1 to 3650) saved and
// read back, a new person added with a one-time set-password link that they
// open and use, the last owner's own controls disabled with the reason, the RADIUS page showing
// the ports the running radiusd reported, and the dashboard's getting-started checklist ticking
// from real rows. axe finds no serious or critical violation on any settings page.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { openConsole, pageWidth, PHONE, type Screen } from '../support/console-page.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const LAPTOP: Screen = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false } as Screen;

let kasi: KasiProcess;
let browser: Browser;

beforeAll(async () => {
  kasi = await startKasi();
  await createTenant(kasi, OWNER);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

/** Serious and critical axe findings on the page as it stands, by rule id and target. */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: page as never }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.each([
  ['tablet 1024×768', LAPTOP],
  ['phone 360×740', PHONE],
])('settings on a %s', (label, screen) => {
  let page: Page;

  beforeAll(async () => {
    page = await openConsole({ browser, kasi, owner: OWNER, screen });
  });
  afterAll(() => page.context().close());

  it('shows the getting-started checklist until a plan exists, then ticks it', async () => {
    const checklist = page.getByRole('region', { name: 'Getting started' });
    await checklist.waitFor();
    if (label.startsWith('tablet')) {
      expect(await checklist.getByRole('link', { name: 'Create a plan' }).isVisible()).toBe(true);
      await createHourPlan(kasi);
      await page.reload();
    }
    await checklist.getByText('Create a plan').waitFor();
    expect(await checklist.getByRole('link', { name: 'Create a plan' }).count()).toBe(0);
    expect(await checklist.getByRole('link', { name: 'Add a router' }).isVisible()).toBe(true);
  });

  it('saves the business settings and reads them back', async () => {
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const name = `Acme ${label.split(' ')[0]}`;
    await page.getByLabel('Business name').fill(name);
    await page.getByLabel('Time zone').fill('Africa/Nairobi');
    await page.getByLabel('Language and number format').selectOption('sw-KE');
    await page.getByLabel('Brand colour').fill('not a colour');
    const smsDays = page.getByLabel('Keep SMS texts and numbers for (days)');
    // 90 until an owner sets it (the tablet run sets 30 before the phone run).
    expect(await smsDays.inputValue()).toBe(label.startsWith('tablet') ? '90' : '30');
    await smsDays.fill('ninety');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('A colour as #rrggbb').waitFor();
    await page.getByText('A whole number of days, from 1 to 3650').waitFor();
    expect(await smsDays.getAttribute('aria-invalid')).toBe('true');
    await smsDays.fill('4000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('At most 3650').waitFor();
    await smsDays.fill('30');
    await page.getByLabel('Brand colour').fill('#0a7f3f');
    await page.getByLabel('Hotspot login address').fill('http://wifi.acme.test');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.reload();
    expect(await page.getByLabel('Business name').inputValue()).toBe(name);
    expect(await page.getByLabel('Hotspot login address').inputValue()).toBe('http://wifi.acme.test');
    expect(await page.getByLabel('Language and number format').inputValue()).toBe('sw-KE');
    expect(await smsDays.inputValue()).toBe('30');
    expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('adds a person with a set-password link they can use, and explains the roles', async () => {
    await page.goto('/settings/people');
    await page.getByRole('heading', { name: 'People and roles' }).waitFor();
    const email = `op-${label.split(' ')[0]}@acme.test`;
    const form = page.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Name').fill('Night operator');
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Add person' }).click();
    const link = (await form.locator('code.link').textContent()) ?? '';
    expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{20,}$/);
    // The owner is the only owner: their own role and deactivation are disabled, with why.
    const me = page.getByRole('listitem').filter({ hasText: OWNER.email });
    expect(await me.getByRole('combobox').isDisabled()).toBe(true);
    expect(await me.getByRole('button', { name: 'Deactivate' }).isDisabled()).toBe(true);
    await me.getByText('You cannot change your own role or deactivate yourself.').waitFor();
    await page.getByText('Looks at everything an operator sees but cannot change anything.').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    expect(await axeProblems(page)).toEqual([]);

    const newcomer = await (await browser.newContext({ ...screen })).newPage();
    try {
      await newcomer.goto(link);
      // The tenant now speaks sw-KE; this person picks English on the sign-in page.
      await newcomer.getByLabel('Language').selectOption('en');
      await newcomer.getByLabel('New password', { exact: true }).fill('night shift password 1');
      await newcomer.getByLabel('New password again').fill('night shift password 1');
      await newcomer.getByRole('button', { name: 'Set password' }).click();
      await newcomer.getByRole('link', { name: 'Log in' }).waitFor();
      await loginAs(newcomer, kasi, email, 'night shift password 1');
      await newcomer.goto(`${kasi.baseUrl}/settings`);
      await newcomer.getByText('Only an owner can change these settings. You can read them.').waitFor();
      expect(await newcomer.getByLabel('Business name').isDisabled()).toBe(true);
      expect(await newcomer.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    } finally {
      await newcomer.context().close();
    }

    // Deactivated, their row says so and offers Reactivate.
    const row = page.getByRole('listitem').filter({ hasText: email });
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await row.getByRole('button', { name: 'Reactivate' }).waitFor();
  });

  it('shows the ports the running radiusd reported', async () => {
    await page.goto('/settings/radius');
    await page.getByRole('heading', { name: 'What routers must use' }).waitFor();
    await page.getByText("Kasi's RADIUS server is running").waitFor();
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    expect(facts).toContain(`${kasi.env.KASI_RADIUS_AUTH_PORT} (UDP)`);
    expect(facts).toContain(`${kasi.env.KASI_RADIUS_ACCT_PORT} (UDP)`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(screen.viewport.width);
    expect(await axeProblems(page)).toEqual([]);
  });
});
