// Login rate limiting in PostgreSQL. An attempt is counted BEFORE the password hash, by
// one conditional upsert per attempt, so concurrent or batched guesses cannot all be
// checked before the first is recorded, and every server process shares the counts.
// Several keys with their own limits let one person's typos lock only that account from
// that address, while a guessing attack across accounts or addresses still hits a wall.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@kasi/db';
import { rateLimited } from '@kasi/domain';
import { addressGroup } from './address-group.ts';

export interface ThrottleKey {
  key: string;
  max: number;
}

export const LOGIN_WINDOW_MS = 15 * 60_000;

/** Keys are stored hashed: people type passwords into the email field. */
const digest = (key: string) => createHash('sha256').update(key).digest('hex');

const hashes = (keys: ThrottleKey[]) =>
  sql.join(
    keys.map((k) => sql`${digest(k.key)}`),
    sql`, `,
  );

/** Thrown inside the counting transaction so that a refused attempt counts against no key. */
class Refused extends Error {}

/**
 * Counts one attempt against every key, or against none: when any key is at its limit
 * in the current window the attempt is refused (429 with a retry delay). Rows are
 * locked in key order, so concurrent attempts on shared keys queue instead of deadlocking.
 */
export async function claimLoginAttempt(
  db: Database,
  keys: ThrottleKey[],
  windowMs = LOGIN_WINDOW_MS,
): Promise<void> {
  const sorted = [...keys]
    .map((k) => ({ ...k, hash: digest(k.key) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : 1));
  const window = sql`(${windowMs}::bigint * interval '1 millisecond')`;
  try {
    await db.transaction(async (tx) => {
      const counted = await tx.execute(sql`
        WITH input(key_hash, max_attempts) AS (
          VALUES ${sql.join(
            sorted.map((k) => sql`(${k.hash}::text, ${k.max}::int)`),
            sql`, `,
          )}
        )
        INSERT INTO login_attempts AS la (key_hash, attempts, window_started_at)
        SELECT key_hash, 1, now() FROM input ORDER BY key_hash
        ON CONFLICT (key_hash) DO UPDATE SET
          attempts = CASE WHEN la.window_started_at <= now() - ${window} THEN 1 ELSE la.attempts + 1 END,
          window_started_at = CASE WHEN la.window_started_at <= now() - ${window} THEN now()
                                   ELSE la.window_started_at END
        WHERE la.window_started_at <= now() - ${window}
           OR la.attempts < (SELECT max_attempts FROM input WHERE input.key_hash = la.key_hash)
        RETURNING la.key_hash`);
      if (counted.length < sorted.length) throw new Refused();
    });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    throw rateLimited('AUTH.TOO_MANY_ATTEMPTS', 'Too many failed logins. Try again later.', {
      retryAfterSeconds: await secondsUntilFree(db, sorted, window),
    });
  }
}

/** Seconds until every full key's window ends (at least 1). */
async function secondsUntilFree(
  db: Database,
  keys: Array<ThrottleKey & { hash: string }>,
  window: ReturnType<typeof sql>,
): Promise<number> {
  const [row] = await db.execute<{ seconds: string | null }>(sql`
    SELECT ceil(max(extract(epoch FROM la.window_started_at + ${window} - now()))) AS seconds
    FROM login_attempts la
    JOIN (VALUES ${sql.join(
      keys.map((k) => sql`(${k.hash}::text, ${k.max}::int)`),
      sql`, `,
    )}) AS input(key_hash, max_attempts) ON input.key_hash = la.key_hash
    WHERE la.attempts >= input.max_attempts AND la.window_started_at > now() - ${window}`);
  return Math.max(1, Number(row?.seconds ?? 1));
}

/**
 * After a successful login: the account's counters are cleared, and the attempt is given
 * back to the address, so colleagues behind one address are not limited by logging in.
 */
export async function recordLoginSuccess(
  db: Database,
  keys: { account: ThrottleKey[]; address: ThrottleKey[] },
): Promise<void> {
  await db.execute(sql`
    WITH cleared AS (DELETE FROM login_attempts WHERE key_hash IN (${hashes(keys.account)}))
    UPDATE login_attempts SET attempts = attempts - 1
    WHERE key_hash IN (${hashes(keys.address)}) AND attempts > 0`);
}

/**
 * Rows whose window ended are worth nothing; run from the retention pass. Expired second-step
 * challenges, passkey challenges and spent or expired reset links go with them (the audit log keeps their story).
 */
export async function purgeLoginAttempts(db: Database, windowMs = LOGIN_WINDOW_MS): Promise<number> {
  const rows = await db.execute(sql`
    WITH challenges AS (DELETE FROM login_challenges WHERE expires_at <= now() RETURNING 1),
         webauthn AS (DELETE FROM webauthn_challenges WHERE expires_at <= now() RETURNING 1),
         resets AS (
           DELETE FROM password_resets WHERE expires_at <= now() OR used_at IS NOT NULL RETURNING 1
         )
    DELETE FROM login_attempts
    WHERE window_started_at <= now() - (${windowMs}::bigint * interval '1 millisecond')
    RETURNING 1`);
  return rows.length;
}

/**
 * The keys for one login attempt. Account keys apply whether or not the account exists
 * (so refusals reveal nothing); the address key blocks only that address, never the
 * account everywhere, so failures on made-up accounts cannot lock a real owner out.
 */
export function loginKeys(
  email: string,
  ip: string,
): { all: ThrottleKey[]; account: ThrottleKey[]; address: ThrottleKey[] } {
  const from = addressGroup(ip);
  const account = [
    { key: `acct-ip:${email}|${from}`, max: 5 },
    { key: `acct:${email}`, max: 20 },
  ];
  const address = [{ key: `ip:${from}`, max: 50 }];
  return { all: [...account, ...address], account, address };
}

/**
 * Keys for a second sign-in step (a TOTP or recovery code), or for re-checking the password of
 * someone already signed in: per account, so a stolen password or session cannot search codes.
 */
export const accountCheckKeys = (userId: string, step: 'second-factor' | 'password'): ThrottleKey[] => [
  { key: `${step}:${userId}`, max: 5 },
];

/** After a passed check: the account's counters for it start again. */
export async function forgetKeys(db: Database, keys: ThrottleKey[]): Promise<void> {
  if (!keys.length) return;
  await db.execute(sql`DELETE FROM login_attempts WHERE key_hash IN (${hashes(keys)})`);
}
