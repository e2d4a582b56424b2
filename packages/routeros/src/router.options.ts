// What a caller says about one router, checked once: api-ssl with certificate verification
// unless the operator explicitly allowed the plain API, and defaults for ports and timeouts.
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { BackoffPolicy } from './reconnect.backoff.ts';
import { DEFAULT_BACKOFF } from './reconnect.backoff.ts';
import type { RouterErrorCode } from './router.errors.ts';
import { RouterError } from './router.errors.ts';
import type { SessionTarget, SessionTls } from './router.session.ts';

export interface RouterTlsOptions {
  /** PEM CA certificate(s) that signed the router's certificate; default: Node's CA store. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Name or address the certificate must carry, when not `host` (an address is not sent as SNI). */
  servername?: string;
  /** Default true. false accepts any certificate (logged as a warning on every connect). */
  rejectUnauthorized?: boolean;
}

/** Structured, secret-free events: no passwords, no attribute values, command words only. */
export interface RouterLogEvent {
  level: 'info' | 'warn' | 'error';
  event:
    | 'router.connected'
    | 'router.connect_failed'
    | 'router.disconnected'
    | 'router.call_failed'
    | 'router.safe_mode_lost'
    | 'router.insecure_transport';
  /** host:port */
  router: string;
  attempt?: number;
  retryInMs?: number;
  command?: string;
  code?: RouterErrorCode;
  message?: string;
}

export interface ConnectRouterOptions {
  host: string;
  /** Default 8729 (api-ssl), or 8728 for the plain API. */
  port?: number;
  /** api-ssl settings, or false for the plain API (refused unless allowPlain is true). */
  tls: RouterTlsOptions | false;
  allowPlain?: boolean;
  username: string;
  password: string;
  /** Deadline for each connection attempt and each command. Default 10000 ms. */
  timeoutMs?: number;
  reconnect?: Partial<BackoffPolicy>;
  log?: (event: RouterLogEvent) => void;
}

export interface ResolvedRouterOptions {
  target: SessionTarget;
  /** host:port, for logs and messages. */
  router: string;
  backoff: BackoffPolicy;
  log: (event: RouterLogEvent) => void;
  /** Emitted on every successful connect while the transport is weaker than verified TLS. */
  insecureWarning: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function resolveOptions(options: ConnectRouterOptions): ResolvedRouterOptions {
  const plain = options.tls === false;
  if (plain && options.allowPlain !== true) {
    const message = 'the plain RouterOS API sends credentials unencrypted; use api-ssl or set allowPlain';
    throw new RouterError('ROUTER.PLAIN_NOT_ALLOWED', message);
  }
  const port = options.port ?? (plain ? 8728 : 8729);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const tls = options.tls === false ? undefined : tlsOptions(options.tls);
  return {
    target: {
      host: options.host,
      port,
      tls,
      username: options.username,
      password: options.password,
      timeoutMs,
    },
    router: `${options.host}:${port}`,
    backoff: { ...DEFAULT_BACKOFF, ...options.reconnect },
    log: options.log ?? (() => undefined),
    insecureWarning: plain
      ? 'plain API allowed by the operator: credentials and data travel unencrypted'
      : tls?.rejectUnauthorized === false
        ? 'certificate verification disabled by the operator'
        : undefined,
  };
}

function tlsOptions(tls: RouterTlsOptions): SessionTls {
  const name = tls.servername;
  return {
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    minVersion: 'TLSv1.2',
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(name === undefined ? {} : isIP(name) ? verifyAddress(name) : { servername: name }),
  };
}

/** SNI may not carry an IP address (RFC 6066; Node warns): verify against it, do not send it. */
function verifyAddress(address: string): SessionTls {
  return { checkServerIdentity: (_host, cert) => checkServerIdentity(address, cert) };
}
