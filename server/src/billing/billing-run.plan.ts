// What the billing run does to one account on day D, as a pure function of what it read
// (ADR 0016). Periods run from local midnight to local midnight. Prepaid: a period's invoice
// is due at its start (+ due days) and issued `issueDaysBeforeDue` days earlier. Postpaid: it
// is issued when the period ends and due `dueDays` later. An account with no period yet
// starts its first at the subscriber's first day (anniversary) and, with a fixed billing day,
// runs that first period only to the next billing day, charged pro rata.
import { addPeriods, prorate, type BillingMode, type InvoiceLineInput, type PeriodUnit } from '@kasi/domain';
import { addDays, dayStart, localDay } from './billing-calendar.ts';

export interface PlanTerms {
  id: string;
  name: string;
  version: number;
  priceMinor: bigint;
  unit: PeriodUnit;
  count: number;
  mode: BillingMode;
  installationFeeMinor: bigint | null;
}

export interface AccountState {
  subscriberId: string;
  /** The subscriber's first day (created, or resumed into a fresh period). */
  since: Date;
  plan: PlanTerms;
  nextPlan: PlanTerms | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  /** Period starts already invoiced by the run (from the current period on). */
  billedStarts: readonly number[];
  /** Whether the run ever invoiced this account (the installation fee goes on the first). */
  everBilled: boolean;
}

export interface RunRules {
  timeZone: string;
  day: string;
  billingDay: number | null;
  issueDaysBeforeDue: number;
  dueDays: number;
  taxRateId: string | null;
}

export interface PlannedInvoice {
  subscriberId: string;
  periodStart: Date;
  periodEnd: Date;
  dueAt: Date;
  lines: InvoiceLineInput[];
}

export interface AccountPlan {
  invoices: PlannedInvoice[];
  /** The account's period after the run, when it changes. */
  period: { start: Date; end: Date; plan: PlanTerms; planChanged: boolean } | null;
}

const terms = (p: PlanTerms) => ({ unit: p.unit, count: p.count });

/** The first period: from the first local day to one period later, or to the billing day. */
interface Span {
  start: Date;
  end: Date;
}

/** Where a full period ending at `end` would start (periods run midnight to midnight). */
function fullStartBefore(end: Date, plan: PlanTerms, timeZone: string): Date {
  const [y, m, d] = localDay(end, timeZone).split('-').map(Number) as [number, number, number];
  const back =
    plan.unit === 'month'
      ? new Date(Date.UTC(y, m - 1 - plan.count, d))
      : new Date(Date.UTC(y, m - 1, d - plan.count * (plan.unit === 'week' ? 7 : 1)));
  return dayStart(back.toISOString().slice(0, 10), timeZone);
}

function firstPeriod(a: AccountState, r: RunRules): Span {
  const startDay = localDay(a.since, r.timeZone);
  const start = dayStart(startDay, r.timeZone);
  if (r.billingDay === null || a.plan.unit !== 'month') {
    return { start, end: addPeriods(start, terms(a.plan), r.timeZone) };
  }
  const [y, m, d] = startDay.split('-').map(Number) as [number, number, number];
  if (d === r.billingDay) return { start, end: addPeriods(start, terms(a.plan), r.timeZone) };
  const after = d < r.billingDay ? 0 : 1;
  const end = new Date(Date.UTC(y, m - 1 + after, r.billingDay)).toISOString().slice(0, 10);
  return { start, end: dayStart(end, r.timeZone) };
}

function invoiceFor(a: AccountState, r: RunRules, plan: PlanTerms, p: Span, first: boolean): PlannedInvoice {
  // A short period (the first one up to a fixed billing day) is charged pro rata.
  const fullStart = fullStartBefore(p.end, plan, r.timeZone);
  const price =
    r.billingDay !== null && fullStart < p.start
      ? prorate(plan.priceMinor, { start: fullStart, end: p.end }, p.start).unusedMinor
      : plan.priceMinor;
  const from = localDay(p.start, r.timeZone);
  const to = addDays(localDay(p.end, r.timeZone), -1);
  const lines: InvoiceLineInput[] = [
    {
      kind: 'plan',
      description: `${plan.name} ${from} – ${to}`,
      unitPriceMinor: price,
      taxRateId: r.taxRateId,
    },
  ];
  if (first && plan.installationFeeMinor && plan.installationFeeMinor > 0n) {
    lines.push({
      kind: 'installation',
      description: 'Installation',
      unitPriceMinor: plan.installationFeeMinor,
      taxRateId: r.taxRateId,
    });
  }
  const dueFrom = plan.mode === 'prepaid' ? p.start : p.end;
  const dueAt = dayStart(addDays(localDay(dueFrom, r.timeZone), r.dueDays), r.timeZone);
  return { subscriberId: a.subscriberId, periodStart: p.start, periodEnd: p.end, dueAt, lines };
}

/** The local day on which a period's invoice is issued. */
function issueDay(plan: PlanTerms, r: RunRules, p: { start: Date; end: Date }): string {
  if (plan.mode === 'postpaid') return localDay(p.end, r.timeZone);
  return addDays(localDay(p.start, r.timeZone), r.dueDays - r.issueDaysBeforeDue);
}

export function planAccount(a: AccountState, r: RunRules): AccountPlan {
  const invoices: PlannedInvoice[] = [];
  const billed = new Set(a.billedStarts);
  let first = !a.everBilled;
  const issue = (plan: PlanTerms, p: Span) => {
    if (billed.has(p.start.getTime()) || issueDay(plan, r, p) > r.day) return;
    invoices.push(invoiceFor(a, r, plan, p, first));
    billed.add(p.start.getTime());
    first = false;
  };
  let current: Span;
  let period: AccountPlan['period'] = null;
  let plan = a.plan;
  if (a.periodStart && a.periodEnd) {
    current = { start: a.periodStart, end: a.periodEnd };
  } else {
    current = firstPeriod(a, r);
    if (localDay(current.start, r.timeZone) > r.day) return { invoices, period };
    period = { start: current.start, end: current.end, plan, planChanged: false };
  }
  if (localDay(current.end, r.timeZone) <= r.day) {
    // The period ended: postpaid bills it now; the next one opens (with a pending plan change).
    if (plan.mode === 'postpaid') issue(plan, current);
    plan = a.nextPlan ?? plan;
    current = { start: current.end, end: addPeriods(current.end, terms(plan), r.timeZone) };
    period = { ...current, plan, planChanged: a.nextPlan !== null };
  }
  if (plan.mode === 'prepaid') {
    issue(plan, current);
    const upcoming = a.nextPlan && !period?.planChanged ? a.nextPlan : plan;
    if (upcoming.mode === 'prepaid') {
      issue(upcoming, { start: current.end, end: addPeriods(current.end, terms(upcoming), r.timeZone) });
    }
  }
  return { invoices, period };
}
