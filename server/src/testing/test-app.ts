// A real AppContext on a fresh database for one test suite, plus factories that go
// through the real services.
import { inject } from 'vitest';
import { createTestDatabase } from '@kasi/db/testing';
import { testAppOn, type TestApp } from './test-app-factory.ts';

export type { TestApp };

export async function createTestApp(): Promise<TestApp> {
  const db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  return testAppOn({ handle: db.handle, url: db.url, close: db.drop });
}
