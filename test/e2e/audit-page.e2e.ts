// The audit log page as an owner uses it: the production PWA on the real server, whose
// audit rows and exported heads come from real logins and CLI commands. Deleting the newest
// row in PostgreSQL turns "Intact" into a named bad row.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };

let kasi: KasiProcess;
let browser: Browser;

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  await createHourPlan(kasi);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

describe('audit log page', () => {
  it('says intact, then names the deleted newest row', async () => {
    const page = await (await browser.newContext()).newPage();
    await loginAs(page, kasi, OWNER.email, OWNER.password);
    await page.goto(`${kasi.baseUrl}/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Intact' }).textContent()).toBe('Intact');

    const sql = postgres(kasi.env.DATABASE_URL ?? '', { max: 1 });
    try {
      await sql`delete from audit_log where id = (select max(id) from audit_log)`;
    } finally {
      await sql.end();
    }
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('status').filter({ hasText: 'Not intact: newest rows deleted' }).waitFor();
    expect(await page.getByText(/^Row number \d+ in the chain \(deleted\)$/).isVisible()).toBe(true);
  });
});
