// Builds the datagrams a MikroTik hotspot sends: PAP Access-Requests (with
// Message-Authenticator, as RouterOS 7.15+ does) and Accounting Start / Interim-Update.
import { Code, encodeRequest, type AttributeEntry } from '@kasi/radius';

export interface Subscriber {
  /** Sequence number: picks the NAS port, MAC and address so each session looks distinct. */
  index: number;
  /** The voucher code, sent as both User-Name and password (hotspot "login by code"). */
  user: string;
}

const NAS_IP = '127.0.0.1';

const ipv4 = (n: number) => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const mac = (n: number) =>
  ['02', '4B', (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
    .map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0').toUpperCase()))
    .join(':');

/** The NAS-side identity of a session; Start and Interim for one index must agree. */
function sessionAttributes(s: Subscriber): AttributeEntry[] {
  return [
    ['User-Name', s.user],
    ['NAS-IP-Address', NAS_IP],
    ['NAS-Identifier', 'bench-hotspot'],
    ['NAS-Port', s.index],
    ['NAS-Port-Type', 'Wireless-802.11'],
    ['Calling-Station-Id', mac(s.index)],
    ['Called-Station-Id', 'hotspot1'],
    ['Framed-IP-Address', ipv4(s.index)],
  ];
}

export function accessRequest(identifier: number, s: Subscriber, secret: string): Buffer {
  return encodeRequest({
    code: Code.AccessRequest,
    identifier,
    secret,
    messageAuthenticator: true,
    attributes: [...sessionAttributes(s), ['User-Password', s.user], ['Service-Type', 'Login-User']],
  });
}

export const acctSessionId = (index: number) => `B${index.toString(16).padStart(8, '0')}`;

export function accountingStart(identifier: number, s: Subscriber, secret: string, now: Date): Buffer {
  return encodeRequest({
    code: Code.AccountingRequest,
    identifier,
    secret,
    attributes: [
      ['Acct-Status-Type', 'Start'],
      ...sessionAttributes(s),
      ['Acct-Session-Id', acctSessionId(s.index)],
      ['Acct-Authentic', 'RADIUS'],
      ['Event-Timestamp', now],
      ['Acct-Delay-Time', 0],
    ],
  });
}

export function accountingInterim(
  identifier: number,
  s: Subscriber,
  secret: string,
  now: Date,
  sessionSeconds: number,
): Buffer {
  return encodeRequest({
    code: Code.AccountingRequest,
    identifier,
    secret,
    attributes: [
      ['Acct-Status-Type', 'Interim-Update'],
      ...sessionAttributes(s),
      ['Acct-Session-Id', acctSessionId(s.index)],
      ['Acct-Authentic', 'RADIUS'],
      ['Event-Timestamp', now],
      ['Acct-Delay-Time', 0],
      ['Acct-Session-Time', sessionSeconds],
      ['Acct-Input-Octets', (sessionSeconds * 12_345) >>> 0],
      ['Acct-Output-Octets', (sessionSeconds * 98_765) >>> 0],
      ['Acct-Input-Packets', sessionSeconds * 10],
      ['Acct-Output-Packets', sessionSeconds * 40],
    ],
  });
}
