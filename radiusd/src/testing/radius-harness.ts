// An in-process radiusd on real sockets and a real database, for integration tests.
import { createSocket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { Keyring, masterKeyFromBytes, nas, SECRET_PURPOSE, type DbHandle } from '@kasi/db';
import { decodePacket, type Packet } from '@kasi/radius';
import { AccountingSpool } from '../accounting-spool.ts';
import { AccountingWriter } from '../accounting-writer.ts';
import { createLogger } from '../log.ts';
import { OutageCache } from '../outage-cache.ts';
import { RadiusMetrics } from '../metrics.ts';
import { NasCache } from '../nas-cache.ts';
import { startRadiusServer, type RadiusServer } from '../radius-server.ts';
import { seedVoucherWorld } from './fixtures.ts';
import { TEST_SECRET } from './login.ts';

export interface Harness {
  server: RadiusServer;
  metrics: RadiusMetrics;
  writer: AccountingWriter;
  codes: string[];
  /** Sends one datagram and waits for a reply (or null after timeoutMs). */
  exchange(packet: Buffer, port: number, timeoutMs?: number): Promise<Packet | null>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Vouchers seeded for the harness's tenant (3 unless told). */
  vouchers?: number;
  /** Where radiusd's log lines go, at debug level; unless given, nothing is logged. */
  logTo?: DestinationStream;
}

export async function startHarness(handle: DbHandle, o: HarnessOptions = {}): Promise<Harness> {
  const keyring = new Keyring([masterKeyFromBytes(randomBytes(32))]);
  const world = await seedVoucherWorld(handle.db, { sharedUsers: 1000 }, o.vouchers);
  const secretEnc = await keyring.encrypt(
    handle.db,
    world.tenant.id,
    SECRET_PURPOSE.nasSecret,
    TEST_SECRET.toString(),
  );
  await handle.db.update(nas).set({ address: '127.0.0.1', secretEnc });
  const nasCache = new NasCache(handle, keyring);
  await nasCache.reload();
  // The production logger (its error serializer included), so tests see what an operator would.
  const log = createLogger(o.logTo ? 'debug' : 'silent', o.logTo);
  const metrics = new RadiusMetrics();
  const spool = new AccountingSpool(await mkdtemp(join(tmpdir(), 'radiusd-spool-')));
  await spool.init();
  const writer = new AccountingWriter(handle.db, spool, log);
  const server = await startRadiusServer({
    db: handle.db,
    keyring,
    accounting: writer,
    outageCache: new OutageCache(60_000),
    nasCache,
    metrics,
    log,
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
  });
  const client = createSocket('udp4');
  // One listener per exchange in flight; identifiers allow 256.
  client.setMaxListeners(256);
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
  return {
    server,
    metrics,
    writer,
    codes: world.codes,
    exchange: (packet, port, timeoutMs = 1500) =>
      new Promise((resolve) => {
        const onMessage = (msg: Buffer) => {
          const d = decodePacket(msg);
          if (d.ok && d.packet.identifier === packet[1]) finish(d.packet);
        };
        const finish = (p: Packet | null) => {
          clearTimeout(timer);
          client.off('message', onMessage);
          resolve(p);
        };
        const timer = setTimeout(() => finish(null), timeoutMs);
        client.on('message', onMessage);
        client.send(packet, port, '127.0.0.1');
      }),
    async close() {
      client.close();
      await server.close();
    },
  };
}
