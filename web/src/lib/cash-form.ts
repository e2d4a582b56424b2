// The handover form's text → `handoverInput`: a decimal amount in the chosen currency
// becomes integer minor units, exactly as the shared schema expects.
import { handoverInput, parseMoney, type HandoverInput } from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { blankToNull, convert, validate, type Parsed } from './form-input.ts';

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
