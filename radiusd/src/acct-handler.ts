// Accounting-Request → parsed record → committed → Accounting-Response.
import { getInteger, getString, getText, type Packet } from '@kasi/radius';
import type { AcctStatus } from './accounting.ts';
import type { AccountingWriter } from './accounting-writer.ts';
import type { NasEntry } from './nas-cache.ts';

const STATUS: Record<number, AcctStatus> = { 1: 'start', 2: 'stop', 3: 'interim', 7: 'on', 8: 'off' };

const TERMINATE_CAUSES: Record<number, string> = {
  1: 'User-Request',
  2: 'Lost-Carrier',
  3: 'Lost-Service',
  4: 'Idle-Timeout',
  5: 'Session-Timeout',
  6: 'Admin-Reset',
  7: 'Admin-Reboot',
  8: 'Port-Error',
  9: 'NAS-Error',
  10: 'NAS-Request',
  11: 'NAS-Reboot',
  12: 'Port-Unneeded',
  13: 'Port-Preempted',
  14: 'Port-Suspended',
  15: 'Service-Unavailable',
  16: 'Callback',
  17: 'User-Error',
  18: 'Host-Request',
};

const octets = (low: number | undefined, giga: number | undefined) =>
  (BigInt(giga ?? 0) << 32n) + BigInt(low ?? 0);

export type AcctResult =
  | {
      ok: true;
      status: AcctStatus;
      exhausted: boolean;
      userName: string;
      acctSessionId: string;
      framedIp: string | null;
    }
  | { ok: false; reason: string };

export async function handleAccountingRequest(
  writer: AccountingWriter,
  nas: NasEntry,
  packet: Packet,
  now = new Date(),
): Promise<AcctResult> {
  const status = STATUS[getInteger(packet, 'Acct-Status-Type') ?? -1];
  if (!status) return { ok: false, reason: 'unsupported_status_type' };
  const unstorable = unstorableText(packet);
  if (unstorable) return { ok: false, reason: unstorable };
  const delay = getInteger(packet, 'Acct-Delay-Time') ?? 0;
  const eventTs = getInteger(packet, 'Event-Timestamp');
  const at = eventTs ? new Date(eventTs * 1000) : new Date(now.getTime() - delay * 1000);
  const userName = getString(packet, 'User-Name') ?? '';
  const acctSessionId = getString(packet, 'Acct-Session-Id') ?? '';
  if ((status === 'start' || status === 'stop' || status === 'interim') && (!userName || !acctSessionId)) {
    return { ok: false, reason: 'missing_session_identity' };
  }
  const nasPort = getInteger(packet, 'NAS-Port');
  const cause = getInteger(packet, 'Acct-Terminate-Cause');
  const framedIp = getIp(packet);
  const outcome = await writer.write({
    status,
    nasId: nas.id,
    tenantId: nas.tenantId,
    userName,
    acctSessionId,
    nasPort: nasPort === undefined ? (getString(packet, 'NAS-Port-Id') ?? null) : String(nasPort),
    framedIp,
    callingStationId: getString(packet, 'Calling-Station-Id') ?? null,
    sessionTime: getInteger(packet, 'Acct-Session-Time') ?? 0,
    inputOctets: octets(getInteger(packet, 'Acct-Input-Octets'), getInteger(packet, 'Acct-Input-Gigawords')),
    outputOctets: octets(
      getInteger(packet, 'Acct-Output-Octets'),
      getInteger(packet, 'Acct-Output-Gigawords'),
    ),
    terminateCause: cause === undefined ? null : (TERMINATE_CAUSES[cause] ?? String(cause)),
    at,
  });
  return { ok: true, status, exhausted: outcome.exhausted, userName, acctSessionId, framedIp };
}

/** The text attributes a record stores. */
const STORED_TEXT = ['User-Name', 'Acct-Session-Id', 'NAS-Port-Id', 'Calling-Station-Id'] as const;

/**
 * A NUL byte or bytes that are not UTF-8 in a stored attribute: PostgreSQL would refuse the
 * record, and with it the batch it was in. There is no Accounting-Reject (RFC 2866 §2: a
 * record that cannot be stored gets no response), so it is dropped and counted by reason,
 * e.g. user_name_nul_byte.
 */
function unstorableText(packet: Packet): string | null {
  for (const name of STORED_TEXT) {
    const text = getText(packet, name);
    if (text && !text.ok) return `${name.toLowerCase().replaceAll('-', '_')}_${text.problem}`;
  }
  return null;
}

function getIp(packet: Packet): string | null {
  const n = getInteger(packet, 'Framed-IP-Address');
  if (n === undefined) return null;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
