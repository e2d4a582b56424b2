// No log line anywhere carries a credential (issue 11, Must exist 7). Every Kasi process the
// e2e run starts appends its output to one run-wide directory (kasi-process.ts), and the
// support helpers register every credential the tests hand to Kasi or get back from it:
// voucher codes, operator and subscriber passwords, router passwords, shared secrets. When
// the run ends, global-setup's teardown reads every log against every secret and fails the
// run if one appears (checkRunLogs).
import { appendFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The run-wide directory, set by global-setup for the e2e project (env: inherited by workers). */
export const RUN_LOG_DIR_ENV = 'KASI_E2E_RUN_LOG_DIR';
const SECRETS_FILE = 'secrets.jsonl';

/** Shorter values (a currency, a port) would match by chance; every real credential is longer. */
const MIN_LENGTH = 6;

export type SecretKind = 'voucher code' | 'password' | 'router password' | 'shared secret';

function runDir(): string | null {
  return process.env[RUN_LOG_DIR_ENV] ?? null;
}

export function registerSecrets(kind: SecretKind, values: Iterable<unknown>): void {
  const dir = runDir();
  if (!dir) return;
  const lines = [...values]
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_LENGTH)
    .map((value) => JSON.stringify({ kind, value }) + '\n');
  if (lines.length) appendFileSync(join(dir, SECRETS_FILE), lines.join(''));
}

/** A log file of this run for one process (appended as output arrives). */
export function runLogFile(name: string): string | null {
  const dir = runDir();
  if (!dir) return null;
  const file = join(dir, `${name}.log`);
  // Created at once, so the final count covers quiet processes too.
  appendFileSync(file, '');
  return file;
}

export function appendRunLog(file: string | null, text: string): void {
  if (file && text) appendFileSync(file, text);
}

const CLI_SECRET_FLAGS: Record<string, SecretKind> = {
  '--password': 'password',
  '--owner-password': 'password',
  '--new-password': 'password',
  '--secret': 'shared secret',
  '--router-password': 'router password',
};

/** The credentials among a CLI command's arguments. */
export function registerCliArgs(args: readonly string[]): void {
  args.forEach((a, i) => {
    const kind = CLI_SECRET_FLAGS[a];
    if (kind) registerSecrets(kind, [args[i + 1]]);
  });
}

const KEY_KINDS: [RegExp, SecretKind][] = [
  [/^(code|codes|testCode|voucherCode)$/, 'voucher code'],
  [/^(password|ownerPassword|newPassword|currentPassword)$/, 'password'],
  [/^(routerPassword|apiPassword)$/, 'router password'],
  [/^(secret|sharedSecret|nasSecret)$/, 'shared secret'],
];

/**
 * The credentials in a request or an answer (CLI --json output, tRPC input and result): every
 * string under a key that names one, at any depth.
 */
export function registerSecretsIn(value: unknown, kindOfParent: SecretKind | null = null): void {
  if (typeof value === 'string') {
    // `code` also names error codes (UNAUTHORIZED, AUTH.WRONG_CODE), which logs rightly carry.
    if (kindOfParent === 'voucher code' && !looksLikeVoucherCode(value)) return;
    if (kindOfParent) registerSecrets(kindOfParent, [value]);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) registerSecretsIn(v, kindOfParent);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const kind = KEY_KINDS.find(([re]) => re.test(k))?.[1] ?? null;
      // A router's password goes in as `password` on router inputs: still a password.
      registerSecretsIn(v, kind);
    }
  }
}

const ERROR_CODES = new Set([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CONFLICT',
  'TIMEOUT',
  'NOT_FOUND',
  'BAD_REQUEST',
  'PARSE_ERROR',
  'PRECONDITION_FAILED',
  'UNPROCESSABLE_CONTENT',
  'TOO_MANY_REQUESTS',
  'BAD_GATEWAY',
  'CLIENT_CLOSED_REQUEST',
  'METHOD_NOT_SUPPORTED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
]);

/** Voucher codes are letters and digits, possibly grouped with dashes (see @kasi/domain). */
const looksLikeVoucherCode = (v: string) => /^[A-Za-z0-9-]+$/.test(v) && !ERROR_CODES.has(v);

export interface LeakedSecret {
  kind: SecretKind;
  /** The first two characters only: the report must not leak what it found. */
  hint: string;
  file: string;
}

/** Reads every log of the run against every registered secret. */
export async function checkRunLogs(
  dir: string,
): Promise<{ logs: number; secrets: number; leaks: LeakedSecret[] }> {
  const names = await readdir(dir);
  const secrets = new Map<string, SecretKind>();
  if (names.includes(SECRETS_FILE)) {
    for (const line of (await readFile(join(dir, SECRETS_FILE), 'utf8')).split('\n')) {
      if (!line) continue;
      const s = JSON.parse(line) as { kind: SecretKind; value: string };
      secrets.set(s.value, s.kind);
    }
  }
  const leaks: LeakedSecret[] = [];
  const logs = names.filter((n) => n.endsWith('.log'));
  for (const name of logs) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const [value, kind] of secrets) {
      if (text.includes(value)) leaks.push({ kind, hint: `${value.slice(0, 2)}…`, file: name });
    }
  }
  return { logs: logs.length, secrets: secrets.size, leaks };
}
