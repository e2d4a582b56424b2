// Sign-in to /my with the PPPoE (or hotspot) user name and password the subscriber already
// has. Subscriber passwords are sealed, not hashed (CHAP needs them), so the check opens
// each candidate's password under its tenant key and compares digests in constant time.
// Counted before the check, like operator logins; the same refusal for every failure.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SECRET_PURPOSE, withTenant, withTenantLookup } from '@kasi/db';
import { invalid, unauthenticated } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { addressGroup } from '../auth/address-group.ts';
import { claimLoginAttempt, recordLoginSuccess } from '../auth/login-throttle.ts';
import type { ClientInfo } from '../auth/session-store.ts';
import { subscribersByUsername, type FoundSubscriber } from './subscriber-lookup.ts';
import { openSubscriberSession } from './subscriber-session.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

function keysFor(username: string, ip: string) {
  const from = addressGroup(ip);
  const name = username.toLowerCase();
  const account = [
    { key: `sub-acct-ip:${name}|${from}`, max: 5 },
    { key: `sub-acct:${name}`, max: 20 },
  ];
  const address = [{ key: `sub-ip:${from}`, max: 50 }];
  return { all: [...account, ...address], account, address };
}

async function passwordMatches(app: AppContext, s: FoundSubscriber, typed: string): Promise<boolean> {
  const real = await app.keyring.decrypt(
    app.db,
    s.tenantId,
    SECRET_PURPOSE.subscriberPassword,
    s.passwordEnc,
  );
  return timingSafeEqual(digest(real), digest(typed));
}

export async function signInWithPassword(
  app: AppContext,
  input: { username: string; password: string },
  client: ClientInfo,
): Promise<{ token: string }> {
  const username = input.username.trim();
  if (!username || username.length > 64) {
    throw invalid('AUTH.USERNAME', 'Enter your user name', { field: 'username' });
  }
  if (!input.password || input.password.length > 128) {
    throw invalid('AUTH.PASSWORD', 'Enter your password', { field: 'password' });
  }
  const keys = keysFor(username, client.ip);
  await claimLoginAttempt(app.db, keys.all);
  // Before the tenant is known: row-level security's lookup scope (SELECT only).
  const matches = await withTenantLookup(async () => {
    const out: FoundSubscriber[] = [];
    for (const s of await subscribersByUsername(app.db, username)) {
      if (await passwordMatches(app, s, input.password)) out.push(s);
    }
    return out;
  });
  // Two tenants' subscribers with the same name and password: which account is meant cannot
  // be known, so neither is opened (the phone code still works).
  const [who] = matches;
  if (!who || matches.length > 1) {
    throw unauthenticated('AUTH.BAD_CREDENTIALS', 'The user name or password is wrong');
  }
  await recordLoginSuccess(app.db, { account: keys.account, address: keys.address });
  const token = await withTenant(who.tenantId, () =>
    app.db.transaction((tx) =>
      openSubscriberSession(
        tx,
        { tenantId: who.tenantId, subscriberId: who.id, username: who.username },
        client,
        'password',
      ),
    ),
  );
  return { token };
}
