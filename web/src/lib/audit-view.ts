// The audit check as an owner reads it: intact, or the first bad row and what happened to it
// in words. The server decides; this only phrases its verdict.
import type { api } from './api.ts';
import { m } from './i18n/locale.ts';
import { formatNumber } from './locale-format.ts';

export type AuditCheck = Awaited<ReturnType<typeof api.audit.verify.query>>;
type Kind = NonNullable<AuditCheck['firstBad']>['kind'];

const KINDS: Record<Kind, { title: () => string; advice: () => string }> = {
  edited: { title: m.console_audit_edited_title, advice: m.console_audit_edited_advice },
  deleted: { title: m.console_audit_deleted_title, advice: m.console_audit_deleted_advice },
  truncated: { title: m.console_audit_truncated_title, advice: m.console_audit_truncated_advice },
  rewritten: { title: m.console_audit_rewritten_title, advice: m.console_audit_rewritten_advice },
  unverifiable: { title: m.console_audit_unverifiable_title, advice: m.console_audit_unverifiable_advice },
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
    { label: m.console_audit_rows_checked(), value: formatNumber(c.rows) },
    {
      label: m.console_audit_newest_head(),
      value: c.headSeq === null ? m.console_audit_none() : String(c.headSeq),
    },
  ];
  if (c.legacyRows > 0)
    facts.push({ label: m.console_audit_legacy_rows(), value: formatNumber(c.legacyRows) });
  if (c.firstBad) {
    const kind = KINDS[c.firstBad.kind];
    const row =
      c.firstBad.id === null
        ? m.console_audit_row_deleted({ seq: c.firstBad.seq })
        : m.console_audit_row({ id: c.firstBad.id, seq: c.firstBad.seq });
    return {
      tone: 'danger',
      headline: m.console_audit_not_intact({ what: kind.title().toLocaleLowerCase() }),
      row,
      advice: kind.advice(),
      facts,
    };
  }
  if (!c.headFileFound)
    return {
      tone: 'warn',
      headline: m.console_audit_intact_no_head(),
      row: null,
      advice: m.console_audit_intact_no_head_advice(),
      facts,
    };
  return {
    tone: 'ok',
    headline: m.console_audit_intact(),
    row: null,
    advice: m.console_audit_intact_advice(),
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
