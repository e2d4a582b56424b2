// radiusd configuration, read once from the environment and validated.
import { resolve } from 'node:path';
import { z } from 'zod';

/** radiusd's PostgreSQL connections (see the README). */
const POOL_DEFAULT = 10;

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  DATABASE_URL: z.string().url({ message: 'radiusd needs DATABASE_URL (the run command passes it)' }),
  /** radiusd's own login (a member of kasi_radiusd); absent: DATABASE_URL acting as kasi_radiusd (ADR 0019). */
  KASI_RADIUSD_DATABASE_URL: z.string().url().optional(),
  KASI_DATA_DIR: z.string().default('.data'),
  KASI_MASTER_KEY: z.string().optional(),
  KASI_MASTER_KEY_PREVIOUS: z.string().optional(),
  KASI_RADIUS_HOST: z.string().default('0.0.0.0'),
  KASI_RADIUS_AUTH_PORT: port.default(1812),
  KASI_RADIUS_ACCT_PORT: port.default(1813),
  KASI_RADIUS_METRICS_PORT: port.default(9812),
  KASI_RADIUS_METRICS_HOST: z.string().default('127.0.0.1'),
  KASI_RADIUS_OUTAGE_AUTH_SECONDS: z.coerce.number().int().min(0).default(3600),
  KASI_RADIUS_SPOOL_DIR: z.string().optional(),
  KASI_RADIUS_DB_POOL: z.coerce.number().int().min(2).max(100).default(POOL_DEFAULT),
  KASI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RadiusdConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid radiusd configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const c = parsed.data;
  const dataDir = resolve(c.KASI_DATA_DIR);
  return {
    databaseUrl: c.KASI_RADIUSD_DATABASE_URL ?? c.DATABASE_URL,
    masterKey: {
      key: c.KASI_MASTER_KEY,
      previous: c.KASI_MASTER_KEY_PREVIOUS,
      file: resolve(dataDir, 'master.key'),
    },
    host: c.KASI_RADIUS_HOST,
    authPort: c.KASI_RADIUS_AUTH_PORT,
    acctPort: c.KASI_RADIUS_ACCT_PORT,
    metrics: { host: c.KASI_RADIUS_METRICS_HOST, port: c.KASI_RADIUS_METRICS_PORT },
    outageAuthMs: c.KASI_RADIUS_OUTAGE_AUTH_SECONDS * 1000,
    spoolDir: resolve(c.KASI_RADIUS_SPOOL_DIR ?? resolve(dataDir, 'radiusd')),
    logLevel: c.KASI_LOG_LEVEL,
    dbPool: c.KASI_RADIUS_DB_POOL,
  };
}
