// The CHAP helper the hotspot page loads as md5.js: MD5 (RFC 1321) written for Kasi, in ES5 so
// that old captive-portal browsers run it. MikroTik's http-chap wants the hex MD5 of
// chap-id + password + chap-challenge, where the router writes chap-id and chap-challenge as
// octal escapes inside a JS string; so every char code here is one byte (code & 0xff).
// Kept as source text: the router serves it as a file; md5.script.spec.ts checks it against
// node:crypto.
export const MD5_SCRIPT = `/* Kasi hotspot CHAP helper: MD5 of a byte string (RFC 1321). */
var kasiMd5 = (function () {
  var T = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
  ];
  var R = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  function words(s) {
    var n = s.length, count = (((n + 8) >> 6) + 1) * 16, w = [], i;
    for (i = 0; i < count; i++) w[i] = 0;
    for (i = 0; i < n; i++) w[i >> 2] |= (s.charCodeAt(i) & 0xff) << ((i % 4) * 8);
    w[n >> 2] |= 0x80 << ((n % 4) * 8);
    w[count - 2] = (n * 8) | 0;
    w[count - 1] = Math.floor(n / 0x20000000) | 0;
    return w;
  }
  function hex(x) {
    var out = '', i, b;
    for (i = 0; i < 4; i++) {
      b = (x >>> (i * 8)) & 0xff;
      out += (b < 16 ? '0' : '') + b.toString(16);
    }
    return out;
  }
  return function (s) {
    var w = words(s), h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476;
    for (var o = 0; o < w.length; o += 16) {
      var a = h0, b = h1, c = h2, d = h3;
      for (var j = 0; j < 64; j++) {
        var f, g, round = j >> 4;
        if (round === 0) { f = (b & c) | (~b & d); g = j; }
        else if (round === 1) { f = (d & b) | (~d & c); g = (5 * j + 1) % 16; }
        else if (round === 2) { f = b ^ c ^ d; g = (3 * j + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * j) % 16; }
        var sum = (a + f + T[j] + w[o + g]) | 0, r = R[round * 4 + (j % 4)];
        a = d; d = c; c = b;
        b = (b + ((sum << r) | (sum >>> (32 - r)))) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    }
    return hex(h0) + hex(h1) + hex(h2) + hex(h3);
  };
})();
`;
