import { describe, expect, it } from 'vitest';
import {
  emptyRouterFields,
  suggestRadiusAddress,
  toRouterInput,
  withTls,
  type RouterFields,
} from './router-form.ts';

const filled = (overrides: Partial<RouterFields> = {}): RouterFields => ({
  ...emptyRouterFields(),
  name: 'Tower 1',
  host: '10.0.0.1',
  username: 'kasi',
  password: 'secret',
  ...overrides,
});

describe('toRouterInput', () => {
  it('defaults to api-ssl on 8729', () => {
    const parsed = toRouterInput(filled());
    expect(parsed.ok && parsed.value).toMatchObject({
      port: 8729,
      tls: true,
      allowPlain: false,
      caCert: null,
    });
  });

  it('refuses the plain API unless the person allows it explicitly', () => {
    const refused = toRouterInput(withTls(filled(), false));
    expect(!refused.ok && refused.errors['allowPlain']).toMatch(/explicitly allow/);
    const allowed = toRouterInput({ ...withTls(filled(), false), allowPlain: true });
    expect(allowed.ok && allowed.value).toMatchObject({ port: 8728, tls: false, allowPlain: true });
  });

  it('keeps a CA certificate only for TLS', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----';
    const tls = toRouterInput(filled({ caCert: pem }));
    expect(tls.ok && tls.value.caCert).toBe(pem);
    const plain = toRouterInput(filled({ caCert: pem, tls: false, allowPlain: true }));
    expect(plain.ok && plain.value.caCert).toBeNull();
  });

  it('names the wrong fields', () => {
    const parsed = toRouterInput(filled({ host: 'tower.local', port: '87x', username: '' }));
    expect(!parsed.ok && Object.keys(parsed.errors).sort()).toEqual(['host', 'port', 'username']);
  });
});

describe('withTls', () => {
  it('moves a default port along but keeps a port the person typed', () => {
    expect(withTls(filled(), false).port).toBe('8728');
    expect(withTls(filled({ port: '9000' }), false).port).toBe('9000');
  });

  it('forgets the plain-API opt-in when TLS goes back on', () => {
    expect(withTls(filled({ tls: false, allowPlain: true }), true).allowPlain).toBe(false);
  });
});

describe('suggestRadiusAddress', () => {
  it('offers the page’s host only when it is an IPv4 address', () => {
    expect(suggestRadiusAddress('192.0.2.10')).toBe('192.0.2.10');
    expect(suggestRadiusAddress('kasi.example.net')).toBe('');
    expect(suggestRadiusAddress('::1')).toBe('');
  });
});
