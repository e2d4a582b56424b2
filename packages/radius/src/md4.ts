// MD4 (RFC 1320), needed only for the MS-CHAP NT password hash. Node 24's OpenSSL 3 ships MD4
// in the legacy provider, which is off by default, so a small pure implementation lives here.

const ROUND2 = 0x5a827999;
const ROUND3 = 0x6ed9eba1;
const ORDER2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ORDER3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];

const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

export function md4(message: Buffer): Buffer {
  const padded = pad(message);
  const state = Uint32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476);
  const x = new Uint32Array(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readUInt32LE(block + i * 4);
    compress(state, x);
  }
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeUInt32LE(word, i * 4));
  return out;
}

/** 0x80, zeros to 56 mod 64, then the bit length as a little-endian 64-bit integer. */
function pad(message: Buffer): Buffer {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const out = Buffer.alloc(length);
  message.copy(out);
  out[message.length] = 0x80;
  out.writeBigUInt64LE(BigInt(message.length) * 8n, length - 8);
  return out;
}

const ROUNDS = [
  { fn: (b: number, c: number, d: number) => (b & c) | (~b & d), order: [...Array(16).keys()], constant: 0 },
  { fn: (b: number, c: number, d: number) => (b & c) | (b & d) | (c & d), order: ORDER2, constant: ROUND2 },
  { fn: (b: number, c: number, d: number) => b ^ c ^ d, order: ORDER3, constant: ROUND3 },
];

function compress(state: Uint32Array, x: Uint32Array): void {
  const v = Uint32Array.from(state);
  ROUNDS.forEach(({ fn, order, constant }, round) => {
    const shifts = SHIFTS[round] ?? [];
    for (let i = 0; i < 16; i++) {
      // The registers rotate a, d, c, b: step i updates register (4 - i % 4) % 4.
      const t = (4 - (i & 3)) & 3;
      const sum = v[t]! + fn(v[(t + 1) & 3]!, v[(t + 2) & 3]!, v[(t + 3) & 3]!) + x[order[i]!]! + constant;
      v[t] = rotl(sum >>> 0, shifts[i & 3]!);
    }
  });
  for (let i = 0; i < 4; i++) state[i] = state[i]! + v[i]!;
}
