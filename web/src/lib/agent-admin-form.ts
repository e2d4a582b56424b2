// The agent forms' text fields → the shared @kasi/domain inputs. Money is typed as a decimal
// in the tenant's currency and becomes integer minor units; commission is typed as a
// percentage ("2.5") and becomes basis points (250). No floats on the way.
import {
  agentInput,
  agentUpdateInput,
  formatMoney,
  leaseInput,
  type AgentInput,
  type AgentUpdateInput,
  type LeaseInput,
} from '@kasi/domain';
import { amountFromText } from './cash-form.ts';
import { m } from './i18n/locale.ts';
import type { FieldErrors } from './errors.ts';
import { blankToNull, scaleDecimal, validate, wholeNumber, type Parsed } from './form-input.ts';

export interface AgentFields {
  name: string;
  email: string;
  password: string;
  creditLimit: string;
  commission: string;
}

export const emptyAgentFields = (): AgentFields => ({
  name: '',
  email: '',
  password: '',
  creditLimit: '0',
  commission: '0',
});

/** Minor units as the decimal a person types back ("1250" KES → "12.50"). */
export function moneyText(amountMinor: bigint, currency: string): string {
  return formatMoney({ amountMinor, currency }).slice(0, -(currency.length + 1));
}

/** 250 bps → "2.5" (percent), exactly. */
export function percentText(bps: number): string {
  const whole = Math.floor(bps / 100);
  const frac = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export const formatCommission = (bps: number) => `${percentText(bps)} %`;

function bpsFromText(field: string, text: string, errors: FieldErrors): number | undefined {
  if (blankToNull(text) === null) return undefined;
  const bps = scaleDecimal(text, 100n, 2);
  if (bps === undefined) errors[field] = m.console_errors_form_percentage();
  return bps === undefined ? undefined : Number(bps);
}

export function toAgentInput(f: AgentFields, currency: string): Parsed<AgentInput> {
  const errors: FieldErrors = {};
  return validate(
    agentInput,
    {
      name: f.name,
      email: f.email.trim(),
      password: f.password,
      creditLimitMinor: amountFromText('creditLimitMinor', f.creditLimit, currency, errors),
      commissionBps: bpsFromText('commissionBps', f.commission, errors),
    },
    errors,
  );
}

export interface AgentSettingsFields {
  creditLimit: string;
  commission: string;
  /** 'active' or 'suspended'; the schema refuses anything else. */
  status: string;
}

export function agentSettingsFields(a: {
  creditLimitMinor: bigint;
  currency: string;
  commissionBps: number;
  status: 'active' | 'suspended';
}): AgentSettingsFields {
  return {
    creditLimit: moneyText(a.creditLimitMinor, a.currency),
    commission: percentText(a.commissionBps),
    status: a.status,
  };
}

/** Errors come back keyed by field name, without the "patch." the input nests them under. */
export function toAgentUpdate(
  id: string,
  f: AgentSettingsFields,
  currency: string,
): Parsed<AgentUpdateInput> {
  const errors: FieldErrors = {};
  const patch = {
    creditLimitMinor: amountFromText('patch.creditLimitMinor', f.creditLimit, currency, errors),
    commissionBps: bpsFromText('patch.commissionBps', f.commission, errors),
    status: f.status,
  };
  const parsed = validate(agentUpdateInput, { id, patch }, errors);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    errors: Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k.replace(/^patch\./, ''), v])),
  };
}

export interface LeaseFields {
  deviceId: string;
  planId: string;
  count: string;
}

export const toLeaseInput = (f: LeaseFields): Parsed<LeaseInput> =>
  validate(leaseInput, {
    deviceId: f.deviceId || undefined,
    planId: f.planId || undefined,
    count: wholeNumber(f.count),
  });

/** What a lease would cost at the plan's price and whether it fits the agent's room left. */
export function leaseCost(priceMinor: bigint, countText: string, headroomMinor: bigint) {
  const count = wholeNumber(countText);
  if (count === undefined || count < 1) return null;
  const costMinor = priceMinor * BigInt(count);
  return { costMinor, fits: costMinor <= headroomMinor };
}
