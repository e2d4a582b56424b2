import { describe, expect, it } from 'vitest';
import { describeKick, formatUptime, healthFacts } from './router-format.ts';

describe('router formatting', () => {
  it('shows uptime compactly, largest units first', () => {
    expect(formatUptime(3 * 86_400 + 4 * 3_600 + 60)).toBe('3d 4h');
    expect(formatUptime(4 * 3_600 + 12 * 60)).toBe('4h 12m');
    expect(formatUptime(45)).toBe('45s');
  });

  it('lists the health facts that were read, memory as used of total', () => {
    const facts = healthFacts({
      reachable: true,
      checkedAt: '2025-01-01T00:00:00Z',
      version: '7.18',
      cpuLoad: 3,
      freeMemory: 128 * 1024 ** 2,
      totalMemory: 256 * 1024 ** 2,
    });
    expect(facts).toEqual([
      { label: 'RouterOS', value: '7.18' },
      { label: 'CPU', value: '3%' },
      { label: 'Memory used', value: '128 MiB of 256 MiB' },
    ]);
  });

  it('says how a kick went', () => {
    expect(describeKick('amina', { via: 'api', result: { status: 'ack' } }).message).toMatch(/RouterOS API/);
    const nak = describeKick('amina', { via: 'radius', result: { status: 'nak', attempts: 1, rttMs: 3 } });
    expect(nak).toEqual({ ok: false, message: 'The router refused to disconnect amina (nak).' });
    const timeout = describeKick('amina', { via: 'radius', result: { status: 'timeout', attempts: 3 } });
    expect(timeout.message).toMatch(/timeout/);
  });
});
