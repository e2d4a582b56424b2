// One line per tenant for the CLI: "intact", or the first bad row and what is wrong with it.
import type { AuditCheck } from './audit.service.ts';

export function describeAuditCheck(tenant: string, c: AuditCheck): string {
  if (c.firstBad) {
    const row =
      c.firstBad.id === null
        ? `row seq ${c.firstBad.seq} (gone)`
        : `row ${c.firstBad.id} (seq ${c.firstBad.seq})`;
    return `${tenant}: NOT intact — ${row} ${c.firstBad.kind}: ${c.firstBad.detail}`;
  }
  const legacy = c.legacyRows > 0 ? `, ${c.legacyRows} legacy` : '';
  const head =
    c.headSeq !== null
      ? `newest exported head ${c.headSeq}`
      : c.headFileFound
        ? 'no head exported for this tenant yet'
        : 'no head file found: deleting the newest rows would not show';
  return `${tenant}: intact (${c.rows} rows${legacy}; ${head})`;
}
