// The plan form's text fields → `planInput`. Speeds accept "10" (read as Mbps) or
// RouterOS-style "512k"/"10M"; prices are exact decimals turned into minor units.
import {
  parseMoney,
  parseRate,
  planInput,
  type BillingMode,
  type PeriodUnit,
  type PlanAudience,
  type PlanValues,
} from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { blankToNull, convert, scaleDecimal, validate, wholeNumber, type Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

export const VALIDITY_UNITS = { hours: 3_600n, days: 86_400n } as const;
// Binary units, as MikroTik tools and the demo plans count them, named as such (1 GiB = 1024³ bytes).
export const QUOTA_UNITS = { MiB: 1_048_576n, GiB: 1_073_741_824n } as const;

export interface PlanFields {
  name: string;
  downloadBps: string;
  uploadBps: string;
  validitySeconds: string;
  validityUnit: keyof typeof VALIDITY_UNITS;
  dataQuotaBytes: string;
  quotaUnit: keyof typeof QUOTA_UNITS;
  sharedUsers: string;
  priceMinor: string;
  /** Billing terms for monthly subscribers (vouchers use price and validity only). */
  audience: PlanAudience;
  billingPeriodCount: string;
  billingPeriodUnit: PeriodUnit;
  billingMode: BillingMode;
  installationFee: string;
}

export function emptyPlanFields(): PlanFields {
  return {
    name: '',
    downloadBps: '',
    uploadBps: '',
    validitySeconds: '1',
    validityUnit: 'days',
    dataQuotaBytes: '',
    quotaUnit: 'GiB',
    sharedUsers: '1',
    priceMinor: '',
    audience: 'both',
    billingPeriodCount: '1',
    billingPeriodUnit: 'month',
    billingMode: 'prepaid',
    installationFee: '',
  };
}

/** A bare number is Mbps, the unit operators quote; otherwise RouterOS notation. Blank stays unset. */
function rateFromText(text: string): number | undefined {
  if (blankToNull(text) === null) return undefined;
  return parseRate(/^\s*\d+(\.\d+)?\s*$/.test(text) ? `${text.trim()}M` : text);
}

const priceFromText = (text: string, currency: string) =>
  blankToNull(text) === null ? undefined : parseMoney(text, currency).amountMinor;

function optionalScaled(
  field: string,
  text: string,
  unit: bigint,
  places: number,
  errors: FieldErrors,
): bigint | null | undefined {
  if (blankToNull(text) === null) return null;
  const value = scaleDecimal(text, unit, places);
  if (value === undefined) errors[field] = m.console_plans_decimals_error({ count: places });
  return value;
}

export function toPlanInput(f: PlanFields, currency: string): Parsed<PlanValues> {
  const errors: FieldErrors = {};
  const validity = optionalScaled(
    'validitySeconds',
    f.validitySeconds,
    VALIDITY_UNITS[f.validityUnit],
    2,
    errors,
  );
  const candidate = {
    name: f.name,
    downloadBps: convert('downloadBps', errors, () => rateFromText(f.downloadBps)),
    uploadBps: convert('uploadBps', errors, () => rateFromText(f.uploadBps)),
    validitySeconds: typeof validity === 'bigint' ? Number(validity) : validity,
    dataQuotaBytes: optionalScaled('dataQuotaBytes', f.dataQuotaBytes, QUOTA_UNITS[f.quotaUnit], 3, errors),
    sharedUsers: wholeNumber(f.sharedUsers),
    priceMinor: convert('priceMinor', errors, () => priceFromText(f.priceMinor, currency)),
    currency,
    audience: f.audience,
    billingPeriodCount: wholeNumber(f.billingPeriodCount),
    billingPeriodUnit: f.billingPeriodUnit,
    billingMode: f.billingMode,
    installationFeeMinor:
      blankToNull(f.installationFee) === null
        ? null
        : convert('installationFeeMinor', errors, () => priceFromText(f.installationFee, currency)),
  };
  return validate(planInput, candidate, errors);
}
