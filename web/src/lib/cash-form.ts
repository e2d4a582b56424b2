// The handover and adjustment forms' text → `handoverInput` / `adjustmentInput`: a decimal
// amount in the agent's currency becomes integer minor units, exactly as the schemas expect.
import {
  adjustmentInput,
  handoverInput,
  parseMoney,
  type AdjustmentInput,
  type HandoverInput,
} from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { blankToNull, convert, validate, type Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

export interface HandoverFields {
  amount: string;
  currency: string;
  note: string;
}

export const emptyHandoverFields = (currency: string): HandoverFields => ({ amount: '', currency, note: '' });

/** Blank money stays unset (the schema then says "Required"); bad text is that field's error. */
export function amountFromText(field: string, text: string, currency: string, errors: FieldErrors) {
  if (blankToNull(text) === null) return undefined;
  return convert(field, errors, () => parseMoney(text, currency).amountMinor);
}

export function toHandoverInput(agentId: string, f: HandoverFields): Parsed<HandoverInput> {
  const errors: FieldErrors = {};
  return validate(
    handoverInput,
    {
      agentId,
      amountMinor: amountFromText('amountMinor', f.amount, f.currency, errors),
      currency: f.currency,
      note: blankToNull(f.note) ?? undefined,
    },
    errors,
  );
}

/** Which way an adjustment goes: chosen explicitly rather than typed as a minus sign. */
export type AdjustmentDirection = 'charge' | 'credit';

export interface AdjustmentFields {
  /** charge: the agent owes more (a shortfall); credit: the agent owes less. Unset until chosen. */
  direction: AdjustmentDirection | '';
  amount: string;
  currency: string;
  reason: string;
}

export const emptyAdjustmentFields = (currency: string): AdjustmentFields => ({
  direction: '',
  amount: '',
  currency,
  reason: '',
});

/** The amount is typed without a sign; the chosen direction gives it one (positive = owes more). */
export function toAdjustmentInput(agentId: string, f: AdjustmentFields): Parsed<AdjustmentInput> {
  const errors: FieldErrors = {};
  if (f.direction === '') errors['direction'] = m.console_agents_direction_error();
  let amountMinor = amountFromText('amountMinor', f.amount, f.currency, errors);
  if (amountMinor !== undefined && amountMinor < 0n) {
    errors['amountMinor'] = m.console_agents_sign_error();
    amountMinor = undefined;
  }
  if (amountMinor !== undefined && f.direction === 'credit') amountMinor = -amountMinor;
  return validate(
    adjustmentInput,
    { agentId, amountMinor, currency: f.currency, note: blankToNull(f.reason) ?? '' },
    errors,
  );
}
