// Single-block DES encryption (FIPS 46-3), needed only for MS-CHAP's ChallengeResponse.
// Node 24's OpenSSL 3 keeps DES-ECB in the legacy provider, off by default. The tables are the
// standard's; permutations run on bit arrays and the rounds on 32-bit words with combined S/P boxes.

const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
// The final permutation is the inverse of IP.
const FP = IP.map((_, i) => IP.indexOf(i + 1) + 1);
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** S-boxes, each 4 rows of 16, flattened row-major. */
export const SBOXES: readonly (readonly number[])[] = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3,
    8, 4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6,
    13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11,
    5, 0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5,
    14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15,
    1, 13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2,
    12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14,
    9, 10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2,
    14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8,
    6, 4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4,
    5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3,
    8, 9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8,
    13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8,
    6, 1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3,
    12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9,
    2, 7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6,
    11,
  ],
];

/** Bit i (0 = most significant bit of byte 0) of a buffer. */
const bitAt = (bytes: Buffer, i: number) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;

/** Applies a 1-indexed FIPS permutation table to a source of bits, returning the permuted bits. */
function permute(bits: (i: number) => number, table: readonly number[]): Uint8Array {
  const out = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = bits((table[i] ?? 1) - 1);
  return out;
}

const rotl = (word: number, n: number) => ((word << n) | (word >>> (32 - n))) >>> 0;

function bitsToBytes(bits: Uint8Array): Buffer {
  const out = Buffer.alloc(bits.length / 8);
  for (let i = 0; i < bits.length; i++) out[i >> 3] = ((out[i >> 3] ?? 0) << 1) | (bits[i] ?? 0);
  return out;
}

const wordOf = (bits: Uint8Array, from: number) => {
  let word = 0;
  for (let i = 0; i < 32; i++) word = (word << 1) | (bits[from + i] ?? 0);
  return word >>> 0;
};

/**
 * SP[box][six bits]: the S-box output already moved to its place by P, so a round is eight
 * table lookups OR-ed together. Built from the tables above when the module loads.
 */
const SP = SBOXES.map((box, index) =>
  Uint32Array.from({ length: 64 }, (_, six) => {
    const row = ((six >> 4) & 2) | (six & 1);
    const value = box[row * 16 + ((six >> 1) & 15)] ?? 0;
    const placed = (value << (28 - index * 4)) >>> 0;
    const spread = permute((i) => (placed >>> (31 - i)) & 1, P);
    return wordOf(spread, 0);
  }),
);

/** Sixteen round keys, each as eight 6-bit groups. C and D rotate left; index math stands in for the rotation. */
function subkeys(key: Buffer): Uint8Array[] {
  const cd = permute((i) => bitAt(key, i), PC1);
  const keys: Uint8Array[] = [];
  let shift = 0;
  for (const step of SHIFTS) {
    shift += step;
    const roundKey = new Uint8Array(8);
    for (let i = 0; i < 48; i++) {
      const position = (PC2[i] ?? 1) - 1;
      const half = position < 28 ? 0 : 28;
      const bit = cd[half + ((position - half + shift) % 28)] ?? 0;
      const group = Math.floor(i / 6);
      roundKey[group] = ((roundKey[group] ?? 0) << 1) | bit;
    }
    keys.push(roundKey);
  }
  return keys;
}

/** f(R, K): expand R to eight overlapping 6-bit groups (E), mix in the key, substitute and permute. */
function feistel(right: number, key: Uint8Array): number {
  // Rotating right by one puts bit 32 in front, so group g is the 6 bits starting at 4g of the rotated word.
  const rotated = rotl(right, 31);
  let out = 0;
  for (let g = 0; g < 8; g++) {
    const six = rotl(rotated, 4 * g) >>> 26;
    out |= SP[g]?.[six ^ (key[g] ?? 0)] ?? 0;
  }
  return out >>> 0;
}

/** Encrypts one 8-byte block with an 8-byte key (parity bits ignored, as DES does). */
export function desEncryptBlock(key: Buffer, block: Buffer): Buffer {
  if (key.length !== 8 || block.length !== 8)
    throw new RangeError('DES needs an 8-byte key and an 8-byte block');
  const permuted = permute((i) => bitAt(block, i), IP);
  let left = wordOf(permuted, 0);
  let right = wordOf(permuted, 32);
  for (const roundKey of subkeys(key)) [left, right] = [right, (left ^ feistel(right, roundKey)) >>> 0];
  const preOutput = Buffer.alloc(8);
  preOutput.writeUInt32BE(right, 0);
  preOutput.writeUInt32BE(left, 4);
  return bitsToBytes(permute((i) => bitAt(preOutput, i), FP));
}

/** Spreads a 7-byte (56-bit) key over 8 bytes, seven key bits per byte, parity bit left zero. */
export function expandDesKey(key7: Buffer): Buffer {
  if (key7.length !== 7) throw new RangeError('expected a 7-byte DES key');
  // Bit i of the 64-bit key is key bit i - floor(i / 8); every eighth (parity) bit stays zero.
  return bitsToBytes(
    Uint8Array.from({ length: 64 }, (_, i) => (i % 8 === 7 ? 0 : bitAt(key7, i - (i >> 3)))),
  );
}
