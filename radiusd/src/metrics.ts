// Prometheus metrics for radiusd, in the text exposition format. Small and allocation-free
// on the packet path: counters are plain numbers keyed by label string.

export interface CacheStats {
  hits: number;
  misses: number;
}

const BUCKETS_MS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

class Counter {
  readonly values = new Map<string, number>();
  inc(labels: string, by = 1): void {
    this.values.set(labels, (this.values.get(labels) ?? 0) + by);
  }
  get(labels: string): number {
    return this.values.get(labels) ?? 0;
  }
}

class Histogram {
  readonly counts = new Array<number>(BUCKETS_MS.length + 1).fill(0);
  sum = 0;
  observe(ms: number): void {
    let i = 0;
    while (i < BUCKETS_MS.length && ms > (BUCKETS_MS[i] ?? Infinity)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += ms;
  }
}

export class RadiusMetrics {
  readonly requests = new Counter();
  readonly received = new Counter();
  readonly dropped = new Counter();
  readonly latency = new Map<string, Histogram>();
  gauges: () => Record<string, number> = () => ({});
  /** Hit and miss counts of radiusd's in-memory caches, by cache name. */
  caches: () => Record<string, CacheStats> = () => ({});

  request(type: string, result: string): void {
    this.requests.inc(`type="${type}",result="${result}"`);
  }

  drop(reason: string): void {
    this.dropped.inc(`reason="${reason}"`);
  }

  droppedFor(reason: string): number {
    return this.dropped.get(`reason="${reason}"`);
  }

  total(counter: Counter): number {
    let n = 0;
    for (const v of counter.values.values()) n += v;
    return n;
  }

  observe(type: string, ms: number): void {
    let h = this.latency.get(type);
    if (!h) this.latency.set(type, (h = new Histogram()));
    h.observe(ms);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP kasi_radius_packets_total Datagrams received, by port.');
    out.push('# TYPE kasi_radius_packets_total counter');
    for (const [l, v] of this.received.values) out.push(`kasi_radius_packets_total{${l}} ${v}`);
    out.push('# HELP kasi_radius_requests_total RADIUS requests handled, by type and result.');
    out.push('# TYPE kasi_radius_requests_total counter');
    for (const [l, v] of this.requests.values) out.push(`kasi_radius_requests_total{${l}} ${v}`);
    out.push('# HELP kasi_radius_dropped_total Packets silently discarded, by reason.');
    out.push('# TYPE kasi_radius_dropped_total counter');
    for (const [l, v] of this.dropped.values) out.push(`kasi_radius_dropped_total{${l}} ${v}`);
    out.push('# HELP kasi_radius_latency_ms Time from packet received to reply sent.');
    out.push('# TYPE kasi_radius_latency_ms histogram');
    for (const [type, h] of this.latency) {
      let cumulative = 0;
      BUCKETS_MS.forEach((le, i) => {
        cumulative += h.counts[i] ?? 0;
        out.push(`kasi_radius_latency_ms_bucket{type="${type}",le="${le}"} ${cumulative}`);
      });
      cumulative += h.counts[BUCKETS_MS.length] ?? 0;
      out.push(`kasi_radius_latency_ms_bucket{type="${type}",le="+Inf"} ${cumulative}`);
      out.push(`kasi_radius_latency_ms_sum{type="${type}"} ${h.sum}`);
      out.push(`kasi_radius_latency_ms_count{type="${type}"} ${cumulative}`);
    }
    out.push('# HELP kasi_radius_cache_lookups_total In-memory cache lookups, by cache and result.');
    out.push('# TYPE kasi_radius_cache_lookups_total counter');
    for (const [cache, stats] of Object.entries(this.caches())) {
      out.push(`kasi_radius_cache_lookups_total{cache="${cache}",result="hit"} ${stats.hits}`);
      out.push(`kasi_radius_cache_lookups_total{cache="${cache}",result="miss"} ${stats.misses}`);
    }
    for (const [name, v] of Object.entries(this.gauges())) {
      out.push(`# TYPE ${name} gauge`, `${name} ${v}`);
    }
    return out.join('\n') + '\n';
  }
}
