// Drives handleAccessRequest with real encoded packets, as radiusd receives them.
import { randomBytes } from 'node:crypto';
import type { Database, Keyring } from '@kasi/db';
import {
  chapResponse,
  Code,
  createMsChapV2Response,
  decodePacket,
  encodeRequest,
  type AttributeInput,
} from '@kasi/radius';
import { handleAccessRequest, type AuthOutcome } from '../auth-handler.ts';
import type { OutageCache } from '../outage-cache.ts';
import type { NasEntry } from '../nas-cache.ts';
import { VoucherClock } from '../voucher-clock.ts';

export const TEST_SECRET = Buffer.from('radius-test-secret');

export function testNas(nasId: string, tenantId: string): NasEntry {
  return {
    id: nasId,
    tenantId,
    name: 'test',
    address: '127.0.0.1',
    secret: TEST_SECRET,
    requireMessageAuthenticator: true,
    coaPort: 3799,
  };
}

export interface LoginOptions {
  method?: 'pap' | 'chap' | 'mschapv2';
  now?: Date;
  callingStationId?: string;
  cache?: OutageCache;
}

export async function login(
  db: Database,
  keyring: Keyring,
  nas: NasEntry,
  user: string,
  password: string,
  o: LoginOptions = {},
): Promise<AuthOutcome> {
  const attributes: AttributeInput[] = [['User-Name', user]];
  const method = o.method ?? 'pap';
  if (method === 'pap') attributes.push(['User-Password', password]);
  if (method === 'chap') {
    const challenge = randomBytes(16);
    attributes.push(
      ['CHAP-Challenge', challenge],
      ['CHAP-Password', chapResponse({ ident: 7, password, challenge })],
    );
  }
  if (method === 'mschapv2') {
    const authenticatorChallenge = randomBytes(16);
    const { response } = createMsChapV2Response({ userName: user, password, authenticatorChallenge });
    attributes.push(['MS-CHAP-Challenge', authenticatorChallenge], ['MS-CHAP2-Response', response]);
  }
  if (o.callingStationId) attributes.push(['Calling-Station-Id', o.callingStationId]);
  const raw = encodeRequest({
    code: Code.AccessRequest,
    identifier: 1,
    attributes,
    secret: nas.secret,
    messageAuthenticator: true,
  });
  const decoded = decodePacket(raw);
  if (!decoded.ok) throw new Error(decoded.reason);
  return handleAccessRequest(
    { db, keyring, cache: o.cache, clock: new VoucherClock(db) },
    nas,
    decoded.packet,
    o.now,
  );
}
