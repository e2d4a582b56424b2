// Tells "the database is unreachable" apart from every other failure: only the former
// sends accounting to the spool and authentication to the outage cache.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (NETWORK_CODES.has(code) ||
        code.startsWith('08') ||
        code === '57P01' ||
        code === '57P02' ||
        code === '57P03')
    ) {
      return true;
    }
    if (cur instanceof AggregateError && cur.errors.some(isDatabaseUnavailable)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
