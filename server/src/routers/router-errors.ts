// What an operator should read when a router call fails. Router errors carry stable codes
// (ROUTER.TIMEOUT …); they become domain errors so every transport maps them in one place.
import { DomainError, type DomainErrorKind } from '@kasi/domain';
import type { RouterError } from '@kasi/routeros';

const KINDS: Record<string, DomainErrorKind> = {
  'ROUTER.AUTH_FAILED': 'invalid',
  'ROUTER.PLAIN_NOT_ALLOWED': 'invalid',
  'ROUTER.TRAP': 'conflict',
};

const HINTS: Record<string, string> = {
  'ROUTER.TIMEOUT': 'The router did not answer in time.',
  'ROUTER.UNREACHABLE':
    'The router cannot be reached: check its address, port and that the API service is enabled.',
  'ROUTER.TLS': 'The router’s certificate could not be verified.',
  'ROUTER.AUTH_FAILED': 'The router refused the API user or password.',
  'ROUTER.FATAL': 'The router closed the API session.',
  'ROUTER.SAFE_MODE_LOST': 'The connection holding safe mode was lost; the router undoes those changes.',
};

/** The router's own words go in `details.detail` too, for the console's translated hint. */
export function routerErrorToDomain(e: RouterError): DomainError {
  const hint = HINTS[e.code];
  return new DomainError(
    KINDS[e.code] ?? 'unavailable',
    e.code,
    hint ? `${hint} (${e.message})` : e.message,
    { detail: e.message },
  );
}
