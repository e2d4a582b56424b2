// An operator sets SMS up in the console and sees every message's fate: Africa's Talking
// credentials on the settings page (a local fake of its SMS API on a real socket), a test SMS
// that arrives at the fake, the outbox with its status and cost, and the template editor's
// live preview warning about UCS-2 and refusing an unknown variable — on a 1024 px tablet and
// a 360 px phone, with the production server running the send jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  startAfricasTalkingFake,
  type AfricasTalkingFake,
} from '@kasi/server/testing/africastalking-fake.ts';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE } from '../support/console-page.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const WIDE = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false };

let kasi: KasiProcess;
let at: AfricasTalkingFake;
let browser: Browser;

beforeAll(async () => {
  at = await startAfricasTalkingFake();
  ({ kasi, browser } = await startBillingConsole({
    owner: OWNER,
    subscribers: ['jane'],
    env: { KASI_AFRICASTALKING_API_URL: at.url, KASI_JOB_POLL_SECONDS: '0.5' },
  }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await at?.close();
});

describe('SMS in the console', () => {
  it("sets up Africa's Talking, sends a test SMS and shows it in the outbox (1024 px)", async () => {
    const page = await openConsole({ browser, kasi, owner: OWNER, screen: WIDE });
    await page.getByRole('link', { name: 'SMS' }).first().click();
    await page.waitForURL((u) => u.pathname === '/sms');
    const smsNav = page.getByRole('navigation', { name: 'SMS' });
    await smsNav.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL((u) => u.pathname === '/sms/settings');
    expect(await page.getByTestId('sms-state').textContent()).toContain('SMS not configured');

    const form = page.getByRole('form', { name: 'SMS provider settings' });
    await form.getByLabel('Send through').selectOption('africastalking');
    await form.getByLabel('Environment').selectOption('sandbox');
    await form.getByLabel('Username').fill(at.username);
    await form.getByLabel('API key').fill(at.apiKey);
    await form.getByLabel('Country calling code').fill('999999');
    await form.getByRole('button', { name: 'Save SMS settings' }).click();
    // The domain rule names the field.
    await form.getByText('A country calling code such as 254').waitFor();
    await form.getByLabel('Country calling code').fill('254');
    await form.getByRole('button', { name: 'Save SMS settings' }).click();
    await page.getByText('Saved. Send a test message to check.').waitFor();
    await page.getByTestId('sms-state').getByText('Sending').waitFor();
    // Credentials are write-only: the form does not show them back.
    expect(await form.getByLabel('API key').inputValue()).toBe('');

    const test = page.getByRole('form', { name: 'Send a test SMS' });
    await test.getByLabel('Phone number').fill('07');
    await test.getByRole('button', { name: 'Send test SMS' }).click();
    // Refused before any provider is called; the form says so.
    await test.locator('.error-banner.shown').waitFor();
    expect(at.messages).toHaveLength(0);
    await test.getByLabel('Phone number').fill('0712 345 678');
    await test.getByRole('button', { name: 'Send test SMS' }).click();
    await test.getByText('Sent. Check the phone.').waitFor();
    expect(at.messages.at(-1)).toMatchObject({ to: '+254712345678' });
    expect(at.messages.at(-1)?.message).toContain('test message from Kasi');

    await smsNav.getByRole('link', { name: 'Outbox' }).click();
    await page.waitForURL((u) => u.pathname === '/sms');
    const table = page.getByRole('table', { name: 'Messages' });
    await table.getByText('+254712345678').waitFor();
    expect(await table.textContent()).toContain('KES 0.80');
    expect(await table.getByText('Sent', { exact: true }).count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(1024);
    await page.context().close();
  }, 120_000);

  it('previews a template on a phone, warns about UCS-2 and refuses an unknown variable (360 px)', async () => {
    const page = await openConsole({ browser, kasi, owner: OWNER, screen: PHONE });
    await page.goto('/sms/templates');
    const reminder = page.getByRole('form', { name: 'reminder in en' });
    const box = reminder.getByRole('textbox');
    await box.fill('{tenant}: {name}, it’s time to pay {amount} by {due}.');
    await reminder.getByText('Unknown: {due}').waitFor();
    await reminder.getByTestId('ucs2-warning').getByText('“’”', { exact: false }).waitFor();
    await reminder.getByRole('button', { name: 'Save' }).click();
    await reminder.getByText(/Unknown variable \{due\}/).waitFor();

    await box.fill("{tenant}: {name}, it's time to pay {amount} by {due_date}. {pay_link}");
    expect(await reminder.getByTestId('ucs2-warning').count()).toBe(0);
    await reminder.getByText(/1 segment · GSM-7/).waitFor();
    await reminder.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'reminder in en' }).getByText('(yours)').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    await page.goto('/sms/settings');
    await page
      .getByRole('form', { name: 'SMS provider settings' })
      .waitFor({ timeout: 10_000 })
      .catch(async (e: unknown) => {
        throw new Error(`settings page: ${(await page.locator('body').innerText()).slice(0, 600)}`, {
          cause: e,
        });
      });
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.goto('/sms');
    await page.getByRole('heading', { name: 'Opted-out numbers' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.context().close();
  }, 120_000);
});
