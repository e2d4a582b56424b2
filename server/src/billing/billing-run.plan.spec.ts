import { describe, expect, it } from 'vitest';
import { planAccount, type AccountState, type PlanTerms, type RunRules } from './billing-run.plan.ts';

const plan: PlanTerms = {
  id: 'p1',
  name: 'Home',
  version: 1,
  priceMinor: 300_000n,
  unit: 'month',
  count: 1,
  mode: 'prepaid',
  installationFeeMinor: null,
};
const rules = (over: Partial<RunRules> = {}): RunRules => ({
  timeZone: 'Africa/Nairobi',
  day: '2027-01-31',
  billingDay: null,
  issueDaysBeforeDue: 0,
  dueDays: 0,
  taxRateId: null,
  ...over,
});
const account = (over: Partial<AccountState> = {}): AccountState => ({
  subscriberId: 's1',
  since: new Date('2027-01-31T05:00:00Z'),
  plan,
  nextPlan: null,
  periodStart: null,
  periodEnd: null,
  billedStarts: [],
  everBilled: false,
  ...over,
});

describe('planAccount', () => {
  it('starts the first period at local midnight and ends a 31 January anniversary on 28 February', () => {
    const r = planAccount(account(), rules());
    expect(r.invoices).toHaveLength(1);
    // Nairobi is UTC+3: local midnight is 21:00 the day before.
    expect(r.invoices[0]?.periodStart.toISOString()).toBe('2027-01-30T21:00:00.000Z');
    expect(r.invoices[0]?.periodEnd.toISOString()).toBe('2027-02-27T21:00:00.000Z');
    expect(r.invoices[0]?.lines[0]?.unitPriceMinor).toBe(300_000n);
  });

  it('issues nothing before the first day and nothing twice for a billed period', () => {
    expect(planAccount(account(), rules({ day: '2027-01-30' })).invoices).toEqual([]);
    const start = new Date('2027-01-30T21:00:00Z');
    const billed = account({
      periodStart: start,
      periodEnd: new Date('2027-02-27T21:00:00Z'),
      billedStarts: [start.getTime()],
      everBilled: true,
    });
    expect(planAccount(billed, rules({ day: '2027-02-10' }))).toEqual({ invoices: [], period: null });
  });

  it('bills a postpaid period once it has ended and opens the next one', () => {
    const post = { ...plan, mode: 'postpaid' as const };
    const r = planAccount(
      account({
        plan: post,
        periodStart: new Date('2027-01-30T21:00:00Z'),
        periodEnd: new Date('2027-02-27T21:00:00Z'),
        everBilled: true,
      }),
      rules({ day: '2027-02-28', dueDays: 10 }),
    );
    expect(r.invoices.map((i) => i.periodStart.toISOString())).toEqual(['2027-01-30T21:00:00.000Z']);
    expect(r.invoices[0]?.dueAt.toISOString()).toBe('2027-03-09T21:00:00.000Z');
    expect(r.period?.start.toISOString()).toBe('2027-02-27T21:00:00.000Z');
  });
});
