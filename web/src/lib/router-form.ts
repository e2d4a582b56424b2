// The onboarding wizard's text fields → `routerInput`, and the RADIUS address → `wiringInput`.
// Rules (IPv4 only, TLS or an explicit opt-in to plain API) live in the @kasi/domain schemas.
import { routerInput, wiringInput, type RouterInput } from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { blankToNull, validate, wholeNumber, type Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

/** RouterOS's own service ports: api-ssl and api. */
export const defaultPort = (tls: boolean) => (tls ? 8729 : 8728);

export interface RouterFields {
  name: string;
  host: string;
  port: string;
  tls: boolean;
  allowPlain: boolean;
  caCert: string;
  username: string;
  password: string;
}

export function emptyRouterFields(): RouterFields {
  return {
    name: '',
    host: '',
    port: String(defaultPort(true)),
    tls: true,
    allowPlain: false,
    caCert: '',
    username: '',
    password: '',
  };
}

/** Switching TLS moves the port along, unless the person typed a port of their own. */
export function withTls(f: RouterFields, tls: boolean): RouterFields {
  const port = f.port.trim() === String(defaultPort(!tls)) ? String(defaultPort(tls)) : f.port;
  return { ...f, tls, port, allowPlain: tls ? false : f.allowPlain };
}

export function toRouterInput(f: RouterFields): Parsed<RouterInput> {
  const known: FieldErrors = {};
  const port = blankToNull(f.port) === null ? undefined : wholeNumber(f.port);
  if (blankToNull(f.port) !== null && port === undefined) known['port'] = m.console_routers_port_error();
  return validate(
    routerInput,
    {
      name: f.name,
      host: f.host.trim(),
      port,
      tls: f.tls,
      allowPlain: !f.tls && f.allowPlain,
      caCert: f.tls ? blankToNull(f.caCert) : null,
      username: f.username,
      password: f.password,
    },
    known,
  );
}

const radiusAddress = wiringInput.shape.radiusAddress;

/** Kasi's own address as the browser reached it, when that is an IPv4 a router could use. */
export function suggestRadiusAddress(hostname: string): string {
  return radiusAddress.safeParse(hostname).success ? hostname : '';
}

export function toWiringInput(routerId: string, address: string) {
  return validate(wiringInput, { routerId, radiusAddress: address.trim() });
}
