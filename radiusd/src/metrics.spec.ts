import { describe, expect, it } from 'vitest';
import { RadiusMetrics } from './metrics.ts';

describe('RadiusMetrics', () => {
  it('renders cache hits and misses as counters, by cache', () => {
    const m = new RadiusMetrics();
    const plan = { hits: 0, misses: 0 };
    m.caches = () => ({ plan, nas: { hits: 7, misses: 2 } });
    plan.hits = 41;
    plan.misses = 1;
    const text = m.render();
    expect(text).toContain('# TYPE kasi_radius_cache_lookups_total counter');
    expect(text).toContain('kasi_radius_cache_lookups_total{cache="plan",result="hit"} 41');
    expect(text).toContain('kasi_radius_cache_lookups_total{cache="plan",result="miss"} 1');
    expect(text).toContain('kasi_radius_cache_lookups_total{cache="nas",result="miss"} 2');
  });
});
