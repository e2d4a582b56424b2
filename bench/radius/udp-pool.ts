// Several connected UDP sockets, each with its own 256 RADIUS Identifiers, so thousands of
// requests can be outstanding without two of them sharing (source port, Identifier).
import { createSocket, type Socket } from 'node:dgram';

export interface Outstanding {
  /** When the request should have gone out (open loop) or went out (closed loop), ms. */
  origin: number;
  /** Request Authenticator, needed to verify the reply. */
  authenticator: Buffer;
  /** Sent inside the measurement window, so its outcome is counted. */
  counted: boolean;
}

interface Lane {
  socket: Socket;
  slots: (Outstanding | undefined)[];
  /** Free Identifiers, least recently used first, so a late reply rarely meets a reused one. */
  free: number[];
}

/** Returns false when the reply does not verify against the request: the request stays outstanding. */
export type ReplyHandler = (request: Outstanding, reply: Buffer) => boolean;

export class UdpPool {
  readonly #lanes: Lane[] = [];
  #next = 0;
  #inFlight = 0;
  /** Replies for no outstanding request, or that failed verification against it. */
  unmatched = 0;

  static async open(count: number, host: string, port: number, onReply: ReplyHandler): Promise<UdpPool> {
    const pool = new UdpPool();
    for (let i = 0; i < count; i++) {
      const lane = await openLane(host, port);
      lane.socket.on('message', (msg) => {
        const id = msg.length >= 20 ? msg.readUInt8(1) : -1;
        const request = lane.slots[id];
        if (request && onReply(request, msg)) pool.#release(lane, id);
        else pool.unmatched++;
      });
      pool.#lanes.push(lane);
    }
    return pool;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends build(identifier) on the next lane with a free Identifier; false when all are busy. */
  send(build: (identifier: number) => Buffer, origin: number, counted: boolean): boolean {
    for (let tries = 0; tries < this.#lanes.length; tries++) {
      const lane = this.#lanes[this.#next];
      this.#next = (this.#next + 1) % this.#lanes.length;
      const id = lane?.free.shift();
      if (!lane || id === undefined) continue;
      const packet = build(id);
      lane.slots[id] = { origin, authenticator: packet.subarray(4, 20), counted };
      this.#inFlight++;
      lane.socket.send(packet);
      return true;
    }
    return false;
  }

  /** Gives up on requests older than timeoutMs; their Identifiers become free again. */
  expire(now: number, timeoutMs: number, onLost: (request: Outstanding) => void): void {
    for (const lane of this.#lanes) {
      lane.slots.forEach((request, id) => {
        if (!request || now - request.origin < timeoutMs) return;
        this.#release(lane, id);
        onLost(request);
      });
    }
  }

  #release(lane: Lane, id: number): void {
    lane.slots[id] = undefined;
    lane.free.push(id);
    this.#inFlight--;
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => new Promise<void>((r) => l.socket.close(() => r()))));
  }
}

function openLane(host: string, port: number): Promise<Lane> {
  const socket = createSocket('udp4');
  const lane: Lane = {
    socket,
    slots: new Array<Outstanding | undefined>(256).fill(undefined),
    free: Array.from({ length: 256 }, (_, i) => i),
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.connect(port, host, () => {
        socket.off('error', reject);
        // Bursts of replies must not overflow the default ~200 kB receive buffer.
        try {
          socket.setRecvBufferSize(4 << 20);
        } catch {
          // Capped by net.core.rmem_max; the default still works at these rates.
        }
        resolve(lane);
      });
    });
  });
}
