// Helpers for specs that check signatures by hand, the way the RFCs describe them.
import { createHash, createHmac } from 'node:crypto';
import { decodePacket } from '../packet.decoder.ts';
import type { Packet } from '../packet.types.ts';

/** Independent oracles: Node's own MD5 and HMAC, not the code under test. */
export const md5 = (...parts: (Buffer | string)[]) =>
  parts.reduce((h, p) => h.update(p), createHash('md5')).digest();
export const hmacMd5 = (secret: string, data: Buffer) => createHmac('md5', secret).update(data).digest();

/** Decodes a packet a spec built itself; a failure here is a broken fixture. */
export function decodeFixture(raw: Buffer): Packet {
  const result = decodePacket(raw);
  if (!result.ok) throw new Error(`fixture did not decode: ${result.reason}`);
  return result.packet;
}

/** A copy of the packet with bytes written at an offset: how the RFCs describe the hashed input. */
export function withBytes(raw: Buffer, offset: number, bytes: Buffer): Buffer {
  const copy = Buffer.from(raw);
  bytes.copy(copy, offset);
  return copy;
}

/** Every single-bit corruption of the packet. */
export function* bitFlips(raw: Buffer): Generator<Buffer> {
  for (let bit = 0; bit < raw.length * 8; bit++) {
    const copy = Buffer.from(raw);
    copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    yield copy;
  }
}
