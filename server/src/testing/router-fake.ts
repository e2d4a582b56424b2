// Plays a router's `/radius incoming` listener on a loopback port: records every
// Disconnect-Request Kasi sends and acknowledges it, as a MikroTik does once it has ended the
// session, so tests see what reached the router and Kasi sees an ack.
import { createSocket } from 'node:dgram';
import { Code, decodePacket, encodeResponse, getString } from '@kasi/radius';

export interface RouterFake {
  port: number;
  /** In arrival order: the session's User-Name and when the request came in (ms). */
  disconnects: { user: string; at: number }[];
  close(): void;
}

/** `host`: where it listens (default 127.0.0.1; a bench with NAS rows on several loopback addresses uses 0.0.0.0). */
export async function startRouterFake(o: { secret: string; host?: string }): Promise<RouterFake> {
  const socket = createSocket('udp4');
  const disconnects: RouterFake['disconnects'] = [];
  socket.on('message', (msg, rinfo) => {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.code !== Code.DisconnectRequest) return;
    disconnects.push({ user: getString(d.packet, 'User-Name') ?? '', at: Date.now() });
    const reply = encodeResponse({
      code: Code.DisconnectAck,
      identifier: d.packet.identifier,
      requestAuthenticator: d.packet.authenticator,
      attributes: [],
      secret: Buffer.from(o.secret),
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, o.host ?? '127.0.0.1', r));
  return { port: socket.address().port, disconnects, close: () => socket.close() };
}
