// Latency samples kept whole (a 15 s window is at most a few hundred thousand numbers),
// so percentiles are exact rather than bucketed.
import type { LatencySummary } from './load.types.ts';

export class LatencySamples {
  #values = new Float64Array(1 << 16);
  #count = 0;

  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  summarize(): LatencySummary {
    const sorted = this.#values.subarray(0, this.#count).sort();
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
