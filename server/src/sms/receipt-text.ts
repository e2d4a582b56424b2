// The SMS a buyer gets after an agent's sale syncs: who sold it, the code, the plan and
// where to log in. Kept to one GSM-7 segment where the names allow.
import { gsm7Segments, toGsm7 } from './gsm7.ts';

export interface ReceiptFacts {
  tenantName: string;
  code: string;
  planName: string;
  hotspotUrl: string;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}.`);

export function saleReceiptText(f: ReceiptFacts): string {
  const core = `Wi-Fi voucher ${f.code} (${clip(f.planName, 32)}). Join the Wi-Fi, open ${f.hotspotUrl} and log in with the code.`;
  const full = toGsm7(`${clip(f.tenantName, 24)}: ${core}`);
  return gsm7Segments(full) === 1 ? full : toGsm7(`Your ${core}`);
}
