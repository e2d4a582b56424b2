import { describe, expect, it } from 'vitest';
import {
  bpsToPercent,
  emptyPaymentFields,
  percentToBps,
  toCreditNoteInput,
  toPaymentInput,
  toSettingsPatch,
  settingsFields,
  emptyChargeFields,
  toChargeDraft,
  toPlanRefundInput,
} from './billing-form.ts';

const SUB = '6f1f2a52-7d0e-4f4c-9a61-1d3c7c1d2b11';

describe('billing forms', () => {
  it('turns a typed payment into exact minor units for its currency', () => {
    const kes = toPaymentInput(SUB, { ...emptyPaymentFields('KES'), amount: '1500.50', receiptNumber: ' ' });
    expect(kes).toMatchObject({
      ok: true,
      value: { amountMinor: 150_050n, receiptNumber: null, method: 'cash' },
    });
    const ugx = toPaymentInput(SUB, { ...emptyPaymentFields('UGX'), amount: '50000' });
    expect(ugx).toMatchObject({ ok: true, value: { amountMinor: 50_000n } });
  });

  it('names the field when the amount is missing or too precise', () => {
    expect(toPaymentInput(SUB, emptyPaymentFields('KES'))).toMatchObject({
      ok: false,
      errors: { amountMinor: 'Required' },
    });
    const bad = toPaymentInput(SUB, { ...emptyPaymentFields('UGX'), amount: '10.5' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors['amountMinor']).toMatch(/decimal places/);
  });

  it('a blank credit amount means all that is left; a reason is required', () => {
    const inv = '0e6a7b7e-5c0e-4c59-8f8e-0f2b8c7a6d11';
    expect(toCreditNoteInput(inv, 'KES', { amount: '', reason: 'billed twice' })).toMatchObject({
      ok: true,
      value: { amountMinor: null },
    });
    expect(toCreditNoteInput(inv, 'KES', { amount: '10', reason: '' })).toMatchObject({ ok: false });
  });

  it('reads tax rates as percent and round-trips the settings form', () => {
    expect(percentToBps('16')).toBe(1600);
    expect(percentToBps('7.5')).toBe(750);
    expect(percentToBps('x')).toBeUndefined();
    expect(bpsToPercent(750)).toBe('7.5');
    expect(bpsToPercent(1600)).toBe('16');
    const fields = settingsFields(
      {
        timezone: null,
        billingDay: 1,
        issueDaysBeforeDue: 7,
        dueDays: 0,
        graceDays: 3,
        invoicePrefix: 'INV-',
        creditNotePrefix: 'CN-',
        receiptPrefix: 'RCT-',
        legalName: null,
        legalAddress: null,
        taxId: null,
        approvalThresholdMinor: 500_000n,
        defaultTaxRateId: 'vat',
        taxRates: [{ id: 'vat', name: 'VAT', rateBps: 1600, inclusive: true }],
        currency: 'KES',
      },
      (m) => (Number(m) / 100).toFixed(2),
    );
    const patch = toSettingsPatch(fields, 'KES');
    expect(patch).toMatchObject({
      ok: true,
      value: {
        billingDay: 1,
        approvalThresholdMinor: 500_000n,
        taxRates: [{ rateBps: 1600, inclusive: true }],
      },
    });
    expect(toSettingsPatch({ ...fields, billingDay: '31' }, 'KES')).toMatchObject({
      ok: false,
      errors: { billingDay: expect.any(String) },
    });
  });

  it('makes a one-off charge or a discount into a one-line draft, errors under the field names', () => {
    const fee = toChargeDraft(SUB, 'KES', {
      ...emptyChargeFields(),
      description: 'Installation',
      amount: '1500',
    });
    expect(fee).toMatchObject({
      ok: true,
      value: { lines: [{ kind: 'installation', unitPriceMinor: 150_000n, quantity: 1 }] },
    });
    const off = toChargeDraft(SUB, 'KES', {
      ...emptyChargeFields(),
      kind: 'discount',
      description: 'Loyalty',
      amount: '200',
    });
    expect(off).toMatchObject({ ok: true, value: { lines: [{ unitPriceMinor: -20_000n }] } });
    expect(toChargeDraft(SUB, 'KES', emptyChargeFields())).toMatchObject({
      ok: false,
      errors: { description: expect.any(String), unitPriceMinor: 'Required' },
    });
  });

  it('a plan refund is sent only once confirmed, with the reversal id in capitals', () => {
    const fields = { reason: ' Paid twice ', reference: ' rkt3abcd12 ' };
    const unconfirmed = toPlanRefundInput(SUB, fields, false);
    expect(unconfirmed.ok).toBe(false);
    expect(!unconfirmed.ok && Object.keys(unconfirmed.errors)).toEqual(['confirm']);
    expect(toPlanRefundInput(SUB, fields, true)).toEqual({
      ok: true,
      value: { attemptId: SUB, reason: 'Paid twice', reference: 'RKT3ABCD12' },
    });
    const blank = toPlanRefundInput(SUB, { reason: '', reference: '' }, true);
    expect(!blank.ok && Object.keys(blank.errors)).toEqual(['reason']);
  });
});
