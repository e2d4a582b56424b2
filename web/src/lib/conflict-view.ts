// Sync conflicts as the operator reads them: what went wrong in words, the sale the phone
// reported (from the stored op), and the resolve form's text → `conflictResolveInput`.
import { conflictResolveInput, type ConflictResolveInput, type SyncReason } from '@kasi/domain';
import { amountFromText } from './cash-form.ts';
import type { FieldErrors } from './errors.ts';
import { validate, type Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

const REASONS: Record<SyncReason, { title: () => string; advice: () => string }> = {
  already_sold: { title: m.console_conflicts_already_sold, advice: m.console_conflicts_already_sold_advice },
  not_leased_to_device: {
    title: m.console_conflicts_not_leased,
    advice: m.console_conflicts_not_leased_advice,
  },
  used_before_sale: {
    title: m.console_conflicts_used_before,
    advice: m.console_conflicts_used_before_advice,
  },
  locked: { title: m.console_conflicts_locked, advice: m.console_conflicts_locked_advice },
  void: { title: m.console_conflicts_void, advice: m.console_conflicts_void_advice },
  unknown_code: { title: m.console_conflicts_unknown_code, advice: m.console_conflicts_unknown_code_advice },
  device_not_approved: {
    title: m.console_conflicts_not_approved,
    advice: m.console_conflicts_not_approved_advice,
  },
  bad_signature: {
    title: m.console_conflicts_bad_signature,
    advice: m.console_conflicts_bad_signature_advice,
  },
  sale_id_reused: {
    title: m.console_conflicts_sale_id_reused,
    advice: m.console_conflicts_sale_id_reused_advice,
  },
  seq_reused: { title: m.console_conflicts_seq_reused, advice: m.console_conflicts_seq_reused_advice },
  sequence_gap: { title: m.console_conflicts_sequence_gap, advice: m.console_conflicts_sequence_gap_advice },
  amount_mismatch: {
    title: m.console_conflicts_amount_mismatch,
    advice: m.console_conflicts_amount_mismatch_advice,
  },
};

/** What went wrong, in the person's language; an unknown reason is shown as the server names it. */
export function describeReason(reason: string): { title: string; advice: string } {
  const known = REASONS[reason as SyncReason];
  return known
    ? { title: known.title(), advice: known.advice() }
    : { title: reason, advice: m.console_conflicts_flagged() };
}

export interface ReportedSale {
  amountMinor: bigint | null;
  currency: string | null;
  soldAt: Date | null;
  buyerPhone: string | null;
}

/** The sale as the phone pushed it, read defensively from the stored JSON. */
export function reportedSale(payload: unknown): ReportedSale {
  const op = (payload as { op?: Record<string, unknown> } | null)?.op ?? {};
  const amount =
    typeof op['amountMinor'] === 'string' && /^\d+$/.test(op['amountMinor']) ? op['amountMinor'] : null;
  const soldAt = typeof op['soldAt'] === 'string' ? new Date(op['soldAt']) : null;
  return {
    amountMinor: amount === null ? null : BigInt(amount),
    currency: typeof op['currency'] === 'string' ? op['currency'] : null,
    soldAt: soldAt && !Number.isNaN(soldAt.getTime()) ? soldAt : null,
    buyerPhone: typeof op['buyerPhone'] === 'string' ? op['buyerPhone'] : null,
  };
}

export interface ResolveFields {
  note: string;
  /** Optional amount to charge the agent (negative credits them). */
  charge: string;
  currency: string;
}

export const emptyResolveFields = (currency: string): ResolveFields => ({ note: '', charge: '', currency });

export function toResolveInput(id: string, f: ResolveFields): Parsed<ConflictResolveInput> {
  const errors: FieldErrors = {};
  return validate(
    conflictResolveInput,
    {
      id,
      note: f.note,
      chargeMinor: amountFromText('chargeMinor', f.charge, f.currency, errors),
    },
    errors,
  );
}
