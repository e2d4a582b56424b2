// Typed router errors with stable codes, and the one place where whatever node-routeros or
// Node's sockets reject with is turned into them. Callers branch on `code`, never on text.

export const ROUTER_ERROR_CODES = [
  'ROUTER.AUTH_FAILED',
  'ROUTER.TIMEOUT',
  'ROUTER.UNREACHABLE',
  'ROUTER.TLS',
  'ROUTER.TRAP',
  'ROUTER.FATAL',
  'ROUTER.PLAIN_NOT_ALLOWED',
  'ROUTER.BAD_REPLY',
  'ROUTER.SAFE_MODE_LOST',
] as const;

export type RouterErrorCode = (typeof ROUTER_ERROR_CODES)[number];

/** `=category=` of a `!trap`, as the RouterOS API documents it. */
export const TRAP_CATEGORY = {
  missingItemOrCommand: 0,
  argumentValue: 1,
  interrupted: 2,
  scripting: 3,
  general: 4,
  api: 5,
  tty: 6,
  returnValue: 7,
} as const;

export interface RouterErrorOptions {
  /** Trap category (ROUTER.TRAP only; absent when the router sent none). */
  category?: number;
  cause?: unknown;
}

export class RouterError extends Error {
  readonly code: RouterErrorCode;
  readonly category: number | undefined;

  constructor(code: RouterErrorCode, message: string, options: RouterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RouterError';
    this.code = code;
    this.category = options.category;
  }
}

export function isRouterError(error: unknown, code?: RouterErrorCode): error is RouterError {
  return error instanceof RouterError && (code === undefined || error.code === code);
}

/** Errors that a fresh connection attempt may cure; bad credentials or certificates never do. */
export function isRetryable(error: RouterError): boolean {
  return (
    error.code === 'ROUTER.UNREACHABLE' || error.code === 'ROUTER.TIMEOUT' || error.code === 'ROUTER.FATAL'
  );
}

// OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT,
// UNABLE_TO_VERIFY_LEAF_SIGNATURE…) and Node's ERR_TLS_* / ERR_SSL_* handshake errors.
const TLS_CODE = /^ERR_(TLS|SSL)_|CERT|ISSUER|SIGNATURE|HOSTNAME_MISMATCH/;

interface LibraryError {
  errno?: unknown;
  category?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: { code?: unknown; message?: unknown };
}

/**
 * Maps a rejection from node-routeros (as patched, see docs/adr/0005) to a RouterError. During
 * `connect` a trap is the login being refused (e.g. "not allowed (9)": no api policy).
 */
export function toRouterError(error: unknown, phase: 'connect' | 'call'): RouterError {
  if (error instanceof RouterError) return error;
  const raw: LibraryError = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const message = typeof raw.message === 'string' && raw.message !== '' ? raw.message : String(raw.errno);
  const code = String(raw.cause?.code ?? raw.code ?? raw.errno ?? '');
  const options = { cause: error };
  switch (raw.errno) {
    case 'CANTLOGIN':
      return new RouterError('ROUTER.AUTH_FAILED', 'invalid user name or password', options);
    case 'TRAP':
      if (phase === 'connect')
        return new RouterError('ROUTER.AUTH_FAILED', `login refused: ${message}`, options);
      return new RouterError('ROUTER.TRAP', message, { ...options, ...trapCategory(raw.category) });
    case 'FATAL':
      return new RouterError('ROUTER.FATAL', message, options);
    case 'SOCKTMOUT':
      return new RouterError('ROUTER.TIMEOUT', `no answer from the router (${message})`, options);
    case 'CONNCLOSED':
      return new RouterError('ROUTER.UNREACHABLE', 'the router closed the connection', options);
    case 'UNKNOWNREPLY':
      return new RouterError('ROUTER.BAD_REPLY', message, options);
  }
  if (TLS_CODE.test(code)) return new RouterError('ROUTER.TLS', `TLS failed: ${code}: ${message}`, options);
  return new RouterError('ROUTER.UNREACHABLE', code ? `${code}: ${message}` : message, options);
}

function trapCategory(category: unknown): { category?: number } {
  const value = typeof category === 'string' && /^\d+$/.test(category) ? Number(category) : undefined;
  return value === undefined ? {} : { category: value };
}
