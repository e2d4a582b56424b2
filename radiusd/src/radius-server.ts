// The UDP front of radiusd: client lookup, strict validation, Message-Authenticator
// policy, duplicate detection and bounded concurrency. Everything it drops is counted.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { withTenant, type Database, type Keyring } from '@kasi/db';
import {
  Code,
  decodePacket,
  encodeResponse,
  getAll,
  verifyAccountingRequestAuthenticator,
  verifyMessageAuthenticator,
  type AttributeInput,
  type Packet,
} from '@kasi/radius';
import type { Logger } from 'pino';
import { handleAccessRequest } from './auth-handler.ts';
import { handleAccountingRequest } from './acct-handler.ts';
import { DuplicateCache } from './duplicate-cache.ts';
import { VoucherClock } from './voucher-clock.ts';
import type { AccountingWriter } from './accounting-writer.ts';
import type { OutageCache } from './outage-cache.ts';
import type { SessionEnforcer } from './session-enforcer.ts';
import type { RadiusMetrics } from './metrics.ts';
import type { NasCache, NasEntry } from './nas-cache.ts';

export interface RadiusServerOptions {
  db: Database;
  keyring: Keyring;
  accounting: AccountingWriter;
  enforcer?: SessionEnforcer;
  outageCache?: OutageCache;
  nasCache: NasCache;
  metrics: RadiusMetrics;
  log: Logger;
  host: string;
  authPort: number;
  acctPort: number;
  /** Requests in progress beyond this are shed (dropped and counted), not queued. */
  maxInFlight?: number;
}

export interface RadiusServer {
  authPort: number;
  acctPort: number;
  inFlight(): number;
  close(): Promise<void>;
}

type Port = 'auth' | 'acct';

export async function startRadiusServer(o: RadiusServerOptions): Promise<RadiusServer> {
  const dupes = new DuplicateCache(5_000);
  const clock = new VoucherClock(o.db);
  const maxInFlight = o.maxInFlight ?? 1024;
  let inFlight = 0;
  const sweeper = setInterval(() => dupes.sweep(), 1_000);
  sweeper.unref();

  const drop = (reason: string, rinfo: RemoteInfo) => {
    o.metrics.drop(reason);
    o.log.debug({ reason, from: rinfo.address }, 'packet dropped');
  };

  const reply = (
    socket: Socket,
    rinfo: RemoteInfo,
    nas: NasEntry,
    request: Packet,
    code: number,
    attributes: AttributeInput[],
  ) =>
    encodeResponse({
      code,
      identifier: request.identifier,
      requestAuthenticator: request.authenticator,
      attributes,
      secret: nas.secret,
      proxyStates: getAll(request, 'Proxy-State'),
    });

  async function process(port: Port, socket: Socket, msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    const started = performance.now();
    o.metrics.received.inc(`port="${port}"`);
    const nas = o.nasCache.lookup(rinfo.address);
    if (!nas) return drop('unknown_client', rinfo);
    const decoded = decodePacket(msg);
    if (!decoded.ok) return drop(decoded.reason, rinfo);
    const packet = decoded.packet;
    const expected: number[] =
      port === 'auth' ? [Code.AccessRequest, Code.StatusServer] : [Code.AccountingRequest, Code.StatusServer];
    if (!expected.includes(packet.code)) return drop('unexpected_code', rinfo);
    if (packet.code === Code.AccountingRequest && !verifyAccountingRequestAuthenticator(packet, nas.secret)) {
      return drop('bad_request_authenticator', rinfo);
    }
    const ma = verifyMessageAuthenticator(packet, nas.secret);
    if (ma === 'invalid') return drop('bad_message_authenticator', rinfo);
    const maRequired =
      packet.code === Code.StatusServer ||
      (packet.code === Code.AccessRequest && nas.requireMessageAuthenticator);
    if (ma === 'absent' && maRequired) return drop('missing_message_authenticator', rinfo);

    const key = DuplicateCache.key(rinfo.address, rinfo.port, packet.identifier, packet.authenticator);
    const state = dupes.begin(key);
    if (state.kind === 'answered') {
      o.metrics.request(typeName(packet.code), 'duplicate');
      socket.send(state.reply, rinfo.port, rinfo.address);
      return;
    }
    if (state.kind === 'in_flight') return drop('duplicate_in_flight', rinfo);
    if (inFlight >= maxInFlight) {
      dupes.abandon(key);
      return drop('overload', rinfo);
    }
    inFlight++;
    try {
      // Everything this request reads or writes is the NAS's tenant's (row-level security, ADR 0019).
      const out = await withTenant(nas.tenantId, () => answer(port, packet, nas));
      if (!out) {
        dupes.abandon(key);
        return;
      }
      const buf = reply(socket, rinfo, nas, packet, out.code, out.attributes);
      dupes.answer(key, buf);
      socket.send(buf, rinfo.port, rinfo.address);
      o.metrics.request(typeName(packet.code), out.result);
      o.metrics.observe(typeName(packet.code), performance.now() - started);
    } catch (err) {
      // Database trouble and the like: no reply, so the NAS retries (or fails over).
      dupes.abandon(key);
      o.metrics.request(typeName(packet.code), 'error');
      o.log.error({ err, nas: nas.name }, 'request failed');
    } finally {
      inFlight--;
    }
  }

  async function answer(
    port: Port,
    packet: Packet,
    nas: NasEntry,
  ): Promise<{ code: number; attributes: AttributeInput[]; result: string } | null> {
    if (packet.code === Code.StatusServer) {
      // RFC 5997 §3: Access-Accept on the authentication port, Accounting-Response on accounting.
      return port === 'auth'
        ? { code: Code.AccessAccept, attributes: [['Reply-Message', 'Kasi radiusd alive']], result: 'alive' }
        : { code: Code.AccountingResponse, attributes: [], result: 'alive' };
    }
    if (packet.code === Code.AccessRequest) {
      const outcome = await handleAccessRequest(
        { db: o.db, keyring: o.keyring, cache: o.outageCache, clock },
        nas,
        packet,
      );
      if (!outcome.accept) o.log.info({ nas: nas.name, reason: outcome.reason }, 'access rejected');
      return {
        code: outcome.accept ? Code.AccessAccept : Code.AccessReject,
        attributes: outcome.attributes,
        result: outcome.accept ? 'accept' : `reject_${outcome.reason}`,
      };
    }
    const result = await handleAccountingRequest(o.accounting, nas, packet);
    if (!result.ok) {
      o.metrics.drop(result.reason);
      return null;
    }
    if (result.exhausted) void o.enforcer?.disconnect(nas, result);
    return { code: Code.AccountingResponse, attributes: [], result: result.status };
  }

  const bind = (port: number, kind: Port) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = createSocket({ type: o.host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
      socket.on('message', (msg, rinfo) => {
        process(kind, socket, msg, rinfo).catch((err: unknown) =>
          o.log.error({ err }, 'unhandled packet error'),
        );
      });
      socket.once('error', reject);
      socket.bind(port, o.host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => o.log.error({ err }, 'socket error'));
        resolve(socket);
      });
    });

  const auth = await bind(o.authPort, 'auth');
  const acct = await bind(o.acctPort, 'acct');
  return {
    authPort: auth.address().port,
    acctPort: acct.address().port,
    inFlight: () => inFlight,
    async close() {
      clearInterval(sweeper);
      await Promise.all([auth, acct].map((s) => new Promise<void>((r) => s.close(() => r()))));
      // Let requests already being processed commit and reply before the pool closes.
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

function typeName(code: number): string {
  if (code === Code.AccessRequest) return 'access';
  if (code === Code.AccountingRequest) return 'accounting';
  if (code === Code.StatusServer) return 'status';
  return String(code);
}
