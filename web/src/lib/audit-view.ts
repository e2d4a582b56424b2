// The audit check as an owner reads it: intact, or the first bad row and what happened to it
// in words. The server decides; this only phrases its verdict.
import type { api } from './api.ts';

export type AuditCheck = Awaited<ReturnType<typeof api.audit.verify.query>>;
type Kind = NonNullable<AuditCheck['firstBad']>['kind'];

const KINDS: Record<Kind, { title: string; advice: string }> = {
  edited: {
    title: 'Changed after it was written',
    advice:
      'The row no longer matches the seal Kasi put on it: a column was edited, or the chain was recomputed by someone without Kasi’s key.',
  },
  deleted: {
    title: 'Rows missing before it',
    advice: 'One or more rows before this one were deleted, or the row it was chained to was replaced.',
  },
  truncated: {
    title: 'Newest rows deleted',
    advice: 'The copy of the chain head kept outside the database names rows that are no longer there.',
  },
  rewritten: {
    title: 'Chain rewritten',
    advice: 'The copy of the chain head kept outside the database has a different seal for this row.',
  },
  unverifiable: {
    title: 'Cannot be checked',
    advice:
      'The row is sealed with a master key this server does not have (keep the previous key while rotating).',
  },
};

export interface AuditSummary {
  tone: 'ok' | 'warn' | 'danger';
  headline: string;
  /** The first bad row ("Row 1234 (number 56 in the chain)"), when there is one. */
  row: string | null;
  advice: string;
  facts: { label: string; value: string }[];
}

export function summariseAudit(c: AuditCheck): AuditSummary {
  const facts = [
    { label: 'Rows checked', value: String(c.rows) },
    { label: 'Newest exported head', value: c.headSeq === null ? 'none' : String(c.headSeq) },
  ];
  if (c.legacyRows > 0) facts.push({ label: 'Older unkeyed rows', value: String(c.legacyRows) });
  if (c.firstBad) {
    const kind = KINDS[c.firstBad.kind];
    const row =
      c.firstBad.id === null
        ? `Row number ${c.firstBad.seq} in the chain (deleted)`
        : `Row ${c.firstBad.id} (number ${c.firstBad.seq} in the chain)`;
    return {
      tone: 'danger',
      headline: `Not intact: ${kind.title.toLowerCase()}`,
      row,
      advice: kind.advice,
      facts,
    };
  }
  if (!c.headFileFound)
    return {
      tone: 'warn',
      headline: 'Intact, but no exported head was found',
      row: null,
      advice: 'Every row checks out, but without the head file deleting the newest rows would not show.',
      facts,
    };
  return {
    tone: 'ok',
    headline: 'Intact',
    row: null,
    advice: 'Every row matches its seal and the chain agrees with the heads exported outside the database.',
    facts,
  };
}
