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

export type AuditPage = Awaited<ReturnType<typeof api.audit.list.query>>;
export type AuditRow = AuditPage['rows'][number];

/** The console page of an audit row's object, when it has one. */
export function auditObjectHref(row: Pick<AuditRow, 'entityType' | 'entityId'>): string | null {
  const id = row.entityId;
  const uuid = id !== null && /^[0-9a-f-]{36}$/i.test(id);
  switch (row.entityType) {
    case 'voucher':
      return uuid ? `/vouchers/code/${id}` : null;
    case 'voucher_batch':
      return uuid ? `/vouchers/${id}` : null;
    case 'subscriber':
      return uuid ? `/subscribers/${id}` : '/subscribers';
    case 'router':
      return uuid ? `/routers/${id}` : '/routers';
    case 'agent':
      return uuid ? `/agents/${id}` : '/agents';
    case 'invoice':
      return uuid ? `/billing/invoices/${id}` : '/billing/invoices';
    case 'plan':
      return '/plans';
    case 'radius_session':
    case 'router_session':
      return '/online';
    case 'sync_conflict':
      return '/conflicts';
    case 'voucher_sale':
    case 'agent_ledger':
      return '/sales';
    case 'user':
    case 'tenant':
      return '/settings';
    default:
      return null;
  }
}

/** "voucher_batch" → "Voucher batch". */
export const auditObjectLabel = (type: string) => {
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export interface AuditFilterFields {
  person: string;
  action: string;
  entityType: string;
  entityId: string;
  fromDay: string;
  toDay: string;
}

export const AUDIT_FILTER_KEYS = ['person', 'action', 'entityType', 'entityId', 'fromDay', 'toDay'] as const;

/** The filters from the address bar (empty ones left out), for the list and its CSV. */
export function auditFilters(params: URLSearchParams): Partial<AuditFilterFields> {
  const out: Partial<AuditFilterFields> = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const v = params.get(key)?.trim();
    if (v) out[key] = v;
  }
  return out;
}

/** The address of the same filter one page further (or its CSV, with `path` /csv/audit.csv). */
export function auditHref(path: string, filters: Partial<AuditFilterFields>, before?: bigint): string {
  const p = new URLSearchParams(filters as Record<string, string>);
  if (before !== undefined) p.set('before', String(before));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}
