// One Vitest run, three tiers: unit specs beside the code (no database),
// integration specs on real PostgreSQL, end-to-end tests against real processes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.spec.ts',
            'server/src/**/*.spec.ts',
            'radiusd/src/**/*.spec.ts',
            'web/src/**/*.spec.ts',
          ],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.spec.ts',
            'server/src/**/*.int.spec.ts',
            'radiusd/src/**/*.int.spec.ts',
          ],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
