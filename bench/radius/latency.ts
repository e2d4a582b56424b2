// Latency samples kept whole (a 15 s window is at most a few hundred thousand numbers),
// so percentiles are exact rather than bucketed.
import type { LatencySummary } from './load.types.ts';

export class LatencySamples {
  #values = new Float64Array(1 << 16);
  #origins = new Float64Array(1 << 16);
  #count = 0;

  /** origin: when the request was (or should have been) sent, ms on the generator's clock. */
  add(ms: number, origin: number): void {
    if (this.#count === this.#values.length) {
      this.#values = grow(this.#values);
      this.#origins = grow(this.#origins);
    }
    this.#origins[this.#count] = origin;
    this.#values[this.#count++] = ms;
  }

  /** Samples in arrival order as "origin,latency" lines (origin - since), to see whether slow replies cluster. */
  toCsv(since: number): string {
    const lines = ['origin_ms,latency_ms'];
    for (let i = 0; i < this.#count; i++)
      lines.push(`${round((this.#origins[i] ?? 0) - since)},${round(this.#values[i] ?? 0)}`);
    return lines.join('\n') + '\n';
  }

  summarize(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number) => {
      if (sorted.length === 0) return 0;
      const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
      return round(sorted[Math.max(0, i)] ?? 0);
    };
    return {
      samples: sorted.length,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: at(1),
    };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(a.length * 2);
  grown.set(a);
  return grown;
}
