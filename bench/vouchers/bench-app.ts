// The bench's AppContext: the test suites' app builder on the bench database, so the agent
// factories (devices with WebCrypto keys, signed ops) are used exactly as the suites use them.
import { connect, runMigrations } from '@kasi/db';
import { testAppOn, type TestApp } from '../../server/src/testing/test-app-factory.ts';

export async function createBenchApp(url: string): Promise<TestApp> {
  // The server's default pool size (server/src/boot.ts), so concurrency is measured as deployed.
  const handle = connect(url, { max: 10, applicationName: 'kasi-bench-vouchers' });
  await runMigrations(handle);
  return testAppOn({ handle, url, close: () => handle.close(), name: 'bench' });
}
