// The variables of the SMS a buyer gets after an agent's sale syncs: who sold it, the code,
// the plan and where to log in. Names are put into the GSM-7 alphabet and clipped so that the
// built-in wording stays one segment where the names allow.
import { toGsm7 } from '@kasi/domain';

export interface ReceiptFacts {
  tenantName: string;
  code: string;
  planName: string;
  hotspotUrl: string;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}.`);

export function saleReceiptVars(f: ReceiptFacts): Record<string, string> {
  return {
    tenant: toGsm7(clip(f.tenantName, 24)),
    code: f.code,
    plan: toGsm7(clip(f.planName, 32)),
    hotspot_url: f.hotspotUrl,
  };
}
