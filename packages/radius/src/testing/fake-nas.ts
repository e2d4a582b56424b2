// A UDP peer for client specs: it plays a NAS (or a RADIUS server), records what it received,
// and answers with whatever the spec's handler returns (nothing = stay silent).
import { createSocket, type RemoteInfo } from 'node:dgram';
import { decodePacket } from '../packet.decoder.ts';
import type { Packet } from '../packet.types.ts';

export interface FakePeer {
  port: number;
  received: { packet: Packet; datagram: Buffer }[];
  close(): Promise<void>;
}

export type FakePeerHandler = (packet: Packet, attempt: number) => Buffer | Buffer[] | undefined;

export async function startFakePeer(handler: FakePeerHandler): Promise<FakePeer> {
  const socket = createSocket('udp4');
  const received: FakePeer['received'] = [];
  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    const decoded = decodePacket(datagram);
    if (!decoded.ok) return;
    received.push({ packet: decoded.packet, datagram: Buffer.from(datagram) });
    const reply = handler(decoded.packet, received.length);
    for (const out of reply === undefined ? [] : Array.isArray(reply) ? reply : [reply]) {
      socket.send(out, from.port, from.address);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
