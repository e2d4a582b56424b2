// The operator console in a fresh browser context on a given screen, logged in through the
// real login page and landed on the dashboard, as an operator starts every working session.
// The operator has picked English in this browser (the sign-in page's language select), so a
// test that sets the tenant's language (sw-KE) still reads the English labels it looks for.
import type { Browser, Page } from 'playwright-core';
import type { KasiProcess } from './kasi-process.ts';
import type { Owner } from './seed.ts';

export const TABLET = { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true };
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
export type Screen = typeof TABLET;

export interface ConsoleLogin {
  browser: Browser;
  kasi: KasiProcess;
  owner: Owner;
  screen: Screen;
}

/** A new context of its own (close it with `page.context().close()`), on the dashboard. */
export async function openConsole(o: ConsoleLogin): Promise<Page> {
  const context = await o.browser.newContext({ ...o.screen, baseURL: o.kasi.baseUrl });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Language').selectOption('en');
  await page.getByLabel('Email').fill(o.owner.email);
  await page.getByLabel('Password').fill(o.owner.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === '/'); // the dashboard
  return page;
}

/** How wide the page lays out; more than the screen means sideways scrolling. */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
