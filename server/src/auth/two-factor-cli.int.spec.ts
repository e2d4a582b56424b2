// The CLI commands for operator sign-in, run as the real CLI against a real database:
// user:reset-password prints a working link; tenant:settings --require-2fa takes only true/false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../testing/cli-process.ts';

// Each command is a Node process of its own: several seconds apiece on a loaded CI machine.
const CLI_TEST_TIMEOUT_MS = 120_000;

let cli: CliProcess;
const kasi = (...args: string[]) => cli.run(...args);

beforeAll(async () => {
  cli = await startCli({ env: { KASI_PUBLIC_URL: 'https://isp.example/' } });
  const created = await kasi(
    ...['tenant:create', '--slug', 'cli-2fa', '--name', 'CLI 2FA', '--currency', 'KES'],
    ...['--owner-email', 'owner@cli2fa.test', '--owner-password', 'correct horse battery'],
  );
  expect(created, created.stderr).toMatchObject({ code: 0 });
});

afterAll(() => cli?.stop());

describe('sign-in commands', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints a reset link under the public URL, and refuses an unknown member with 66', async () => {
    const r = await kasi('user:reset-password', '--tenant', 'cli-2fa', '--email', 'OWNER@cli2fa.test');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Reset link for owner@cli2fa\.test .*\nhttps:\/\/isp\.example\/reset\/[A-Za-z0-9_-]{43}\n$/,
    );
    const missing = await kasi('user:reset-password', '--tenant', 'cli-2fa', '--email', 'nobody@cli2fa.test');
    expect(missing.code).toBe(66);
  });

  it('removes a two-factor enrolment (and says when there was none)', async () => {
    const r = await kasi('user:reset-2fa', '--tenant', 'cli-2fa', '--email', 'owner@cli2fa.test');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('owner@cli2fa.test had no two-factor sign-in.\n');
  });

  it('switches the two-factor requirement with true or false only', async () => {
    const on = await kasi('tenant:settings', '--tenant', 'cli-2fa', '--require-2fa', 'true');
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('"requireTwoFactorForAdmins":true');
    const typo = await kasi('tenant:settings', '--tenant', 'cli-2fa', '--require-2fa', 'ture');
    expect(typo.code).toBe(65);
    const off = await kasi('tenant:settings', '--tenant', 'cli-2fa', '--require-2fa', 'false');
    expect(off.stdout).toContain('"requireTwoFactorForAdmins":false');
  });
});
