// Logs a person in through the real login page, as they would, and waits until the app has
// taken them to their start screen (the console for operators, the agent app for agents).
import type { Page } from 'playwright-core';
import type { KasiProcess } from './kasi-process.ts';
import { registerSecrets } from './run-secrets.ts';

export async function loginAs(page: Page, kasi: KasiProcess, email: string, password: string): Promise<void> {
  registerSecrets('password', [password]);
  await page.goto(`${kasi.baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}
