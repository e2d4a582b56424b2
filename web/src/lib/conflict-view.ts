// Sync conflicts as the operator reads them: what went wrong in words, the sale the phone
// reported (from the stored op), and the resolve form's text → `conflictResolveInput`.
import { conflictResolveInput, type ConflictResolveInput, type SyncReason } from '@kasi/domain';
import { amountFromText } from './cash-form.ts';
import type { FieldErrors } from './errors.ts';
import { validate, type Parsed } from './form-input.ts';

const REASONS: Record<SyncReason, { title: string; advice: string }> = {
  already_sold: {
    title: 'Sold twice',
    advice: 'Kasi already had this code as sold. The agent may hold cash for a code they cannot deliver.',
  },
  not_leased_to_device: {
    title: 'Code not given to this phone',
    advice: 'The phone sold a code that was never leased to it, or was leased to another phone.',
  },
  used_before_sale: {
    title: 'Used before it was sold',
    advice:
      'A customer logged in with this code before the agent’s recorded sale time, so the code was already in someone’s hands (a printed card, a test, a leak). The sale was refused; the agent may hold the buyer’s cash.',
  },
  locked: {
    title: 'Sold after it was locked',
    advice: 'The code was locked (lease revoked or phone lost) before this sale reached Kasi.',
  },
  void: { title: 'Sold a void code', advice: 'The code had been voided before this sale reached Kasi.' },
  unknown_code: { title: 'Unknown code', advice: 'No such code exists in this tenant.' },
  device_not_approved: {
    title: 'Phone not approved',
    advice: 'The phone sent a sale while it was not approved (pending, revoked or lost).',
  },
  bad_signature: {
    title: 'Bad signature',
    advice: 'The sale was not signed by the phone’s key. It may have been tampered with.',
  },
  sale_id_reused: {
    title: 'Sale sent twice with changes',
    advice: 'A sale id came back with different contents from the first time.',
  },
  seq_reused: {
    title: 'Sequence number reused',
    advice: 'The phone numbered two different sales the same; its storage may have been reset.',
  },
  sequence_gap: {
    title: 'Sales missing',
    advice: 'The sale was applied, but earlier sales from this phone have not arrived.',
  },
  amount_mismatch: {
    title: 'Different price taken',
    advice: 'The sale was applied at the lease price, but the phone reported another amount.',
  },
};

export function describeReason(reason: string): { title: string; advice: string } {
  return REASONS[reason as SyncReason] ?? { title: reason, advice: 'Kasi flagged this sale.' };
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
