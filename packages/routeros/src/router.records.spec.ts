import { describe, expect, it } from 'vitest';
import { isRouterError } from './router.errors.ts';
import { toHotspotProfile, toPppAaa, toRadiusClient, toResource } from './router.records.ts';

const resourceRow = {
  version: '7.17.2 (stable)',
  uptime: '1w2d3h4m5s',
  'cpu-load': '3',
  'free-memory': '191426560',
  'total-memory': '268435456',
  'board-name': 'hAP ac^2',
};

describe('typed records', () => {
  it('reads /system/resource', () => {
    expect(toResource(resourceRow)).toEqual({
      version: '7.17.2 (stable)',
      uptimeSeconds: 788645,
      cpuLoad: 3,
      freeMemory: 191426560,
      totalMemory: 268435456,
      boardName: 'hAP ac^2',
    });
  });

  it('reads comma lists, durations in ms and absent comments', () => {
    const radius = toRadiusClient({
      '.id': '*1',
      address: '10.0.0.2',
      service: 'hotspot,ppp',
      secret: 's',
      timeout: '300ms',
      'authentication-port': '1812',
      'accounting-port': '1813',
      'src-address': '0.0.0.0',
      disabled: 'false',
    });
    expect(radius).toMatchObject({ services: ['hotspot', 'ppp'], timeoutMs: 300, comment: undefined });
    expect(
      toHotspotProfile({
        '.id': '*2',
        name: 'hsprof1',
        'use-radius': 'yes',
        'radius-accounting': 'true',
        'radius-interim-update': 'received',
        'login-by': '',
      }),
    ).toMatchObject({ useRadius: true, loginBy: [] });
  });

  it('fails with BAD_REPLY naming the property, rather than guessing a value', () => {
    const call = () => toPppAaa({ 'use-radius': 'true', accounting: 'maybe', 'interim-update': '0s' });
    expect(call).toThrow(/\/ppp\/aaa: property accounting is "maybe"/);
    const { 'cpu-load': _dropped, ...withoutLoad } = resourceRow;
    let thrown: unknown;
    try {
      toResource(withoutLoad);
    } catch (error) {
      thrown = error;
    }
    expect(isRouterError(thrown, 'ROUTER.BAD_REPLY')).toBe(true);
    expect((thrown as Error).message).toBe('/system/resource: property cpu-load is missing');
  });
});
