// The voucher batch form's text fields → `voucherBatchInput`.
import { voucherBatchInput, type VoucherBatchInput } from '@kasi/domain';
import { blankToNull, validate, wholeNumber, type Parsed } from './form-input.ts';

export interface BatchFields {
  planId: string;
  quantity: string;
  codeLength: string;
  prefix: string;
}

export function emptyBatchFields(planId = ''): BatchFields {
  return { planId, quantity: '10', codeLength: '8', prefix: '' };
}

export function toBatchInput(f: BatchFields): Parsed<VoucherBatchInput> {
  return validate(voucherBatchInput, {
    planId: f.planId || undefined,
    quantity: wholeNumber(f.quantity),
    codeLength: wholeNumber(f.codeLength),
    prefix: blankToNull(f.prefix) ?? '',
  });
}
