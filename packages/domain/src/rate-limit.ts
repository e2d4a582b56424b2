// Speeds as MikroTik understands them. Rates are integers in bits per second.
// In Mikrotik-Rate-Limit "rx/tx" is from the router's side: rx is the client's upload.
import { invalid } from './errors.ts';

export interface Burst {
  downloadBps: number;
  uploadBps: number;
  thresholdDownloadBps: number;
  thresholdUploadBps: number;
  timeSeconds: number;
}

export interface Speed {
  downloadBps: number;
  uploadBps: number;
  burst?: Burst | null;
}

/** 10M, 512k, 1500 — the shortest exact form RouterOS accepts. */
export function formatRate(bps: number): string {
  if (!Number.isSafeInteger(bps) || bps < 0) throw invalid('PLAN.BAD_RATE', `Rate ${bps} is not a whole bps`);
  if (bps !== 0 && bps % 1_000_000 === 0) return `${bps / 1_000_000}M`;
  if (bps !== 0 && bps % 1_000 === 0) return `${bps / 1_000}k`;
  return String(bps);
}

/** Parses "10M", "512k", "2.5M" into bps (integer); used for operator input. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d{1,3})?)\s*([kKmMgG]?)\s*$/.exec(text);
  if (!m) throw invalid('PLAN.BAD_RATE', `"${text}" is not a rate like 10M or 512k`);
  const [whole = '0', frac = ''] = (m[1] ?? '0').split('.');
  const scale = { '': 1, k: 1_000, m: 1_000_000, g: 1_000_000_000 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const fracDigits = frac.padEnd(3, '0');
  const value = Number(whole) * scale + (Number(fracDigits) * scale) / 1000;
  if (!Number.isSafeInteger(value)) throw invalid('PLAN.BAD_RATE', `"${text}" is not a whole number of bps`);
  return value;
}

export function mikrotikRateLimit(speed: Speed): string {
  const base = `${formatRate(speed.uploadBps)}/${formatRate(speed.downloadBps)}`;
  const b = speed.burst;
  if (!b) return base;
  return [
    base,
    `${formatRate(b.uploadBps)}/${formatRate(b.downloadBps)}`,
    `${formatRate(b.thresholdUploadBps)}/${formatRate(b.thresholdDownloadBps)}`,
    `${b.timeSeconds}/${b.timeSeconds}`,
  ].join(' ');
}
