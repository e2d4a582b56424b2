// Which router login addresses a "buy now" link may carry: the paid page sends the device
// there with its code, so only a hotspot's own address is kept (ADR 0024).
import { describe, expect, it } from 'vitest';
import { trustedLoginUrl } from './hotspot-checkout.ts';

const tenant = ['https://wifi.mama.co.ke', null, 'http://hotspot.lan'];

describe('trustedLoginUrl', () => {
  it('keeps a hotspot address on a private, shared, link-local or loopback IPv4 network', () => {
    for (const host of [
      '10.5.50.1',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.88.1',
      '100.64.0.1',
      '169.254.1.1',
      '127.0.0.1:8080',
    ])
      expect(trustedLoginUrl(`http://${host}/login`, tenant)).toBe(`http://${host}/login`);
  });

  it('keeps the tenant’s or the server’s hotspot host, and drops query and fragment', () => {
    expect(trustedLoginUrl('https://wifi.mama.co.ke/login?x=1#y', tenant)).toBe(
      'https://wifi.mama.co.ke/login',
    );
    expect(trustedLoginUrl('http://HOTSPOT.lan/login', tenant)).toBe('http://hotspot.lan/login');
  });

  it('drops anything else', () => {
    for (const raw of [
      'http://collect.example/login',
      'http://8.8.8.8/login',
      'http://172.32.0.1/login',
      'http://100.128.0.1/login',
      'http://10.5.50.1/status',
      'http://10.5.50.1/login/x',
      'javascript:alert(1)//10.5.50.1/login',
      'ftp://10.5.50.1/login',
      'http://user:pw@10.5.50.1/login',
      'http://10.5.50.1.evil.example/login',
      'http://999.5.50.1/login',
      'not a url',
      '',
    ])
      expect(trustedLoginUrl(raw, tenant), raw).toBeNull();
  });
});
