// Where every billing-side e2e file starts: Kasi without radiusd (these tests send no RADIUS),
// the billing tenant seeded through the CLI, and Chromium to open the console or a pay page in.
// The caller closes the browser and stops Kasi in its afterAll.
import type { Browser } from 'playwright-core';
import { seedBilledTenant, type BilledTenant } from './billing-seed.ts';
import { launchChromium } from './chromium.ts';
import { startKasi, type KasiProcess } from './kasi-process.ts';

export interface BillingConsole {
  kasi: KasiProcess;
  browser: Browser;
  planId: string;
  subscriberIds: Record<string, string>;
}

export async function startBillingConsole(
  o: Omit<BilledTenant, 'kasi'> & { env?: NodeJS.ProcessEnv },
): Promise<BillingConsole> {
  const kasi = await startKasi({ KASI_RADIUSD: 'off', ...o.env });
  const seeded = await seedBilledTenant({ kasi, owner: o.owner, subscribers: o.subscribers });
  return { kasi, browser: await launchChromium(), ...seeded };
}
