// The payments list: the filters live in the address (a GET form), so a reload, a shared link
// and the CSV export all show the same payments. A filter the server refuses (an amount that
// is not one, a backwards range) is said on the page, not as an error page.
import { api } from '#lib/api.ts';
import { describeError, failLoad } from '#lib/errors.ts';
import { PAYMENT_METHOD_VALUES, PAYMENT_STATUS_VALUES } from '#lib/components/payments/payment-labels.ts';
import type { PageLoad } from './$types';

const FIELDS = ['method', 'status', 'fromDay', 'toDay', 'subscriber', 'minAmount', 'maxAmount'] as const;
type PaymentFilterFields = Record<(typeof FIELDS)[number], string>;

const pick = <T extends string>(values: readonly T[], v: string | null) => values.find((x) => x === v);

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:payments');
  const q = url.searchParams;
  const fields = Object.fromEntries(FIELDS.map((f) => [f, q.get(f)?.trim() ?? ''])) as PaymentFilterFields;
  const day = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);
  const filter = {
    method: pick(PAYMENT_METHOD_VALUES, fields.method),
    status: pick(PAYMENT_STATUS_VALUES, fields.status),
    fromDay: day(fields.fromDay),
    toDay: day(fields.toDay),
    subscriber: fields.subscriber || undefined,
    minAmount: fields.minAmount || undefined,
    maxAmount: fields.maxAmount || undefined,
    before: q.get('before') ?? undefined,
  };
  // Only the filters set, for the CSV link and the next page's address.
  const query = new URLSearchParams(
    Object.entries(filter).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'before',
    ),
  ).toString();
  try {
    const list = await api.gateway.payments.query(filter);
    return { list, fields, query, problem: '' };
  } catch (e) {
    const ui = describeError(e);
    if (ui.signedOut || ui.status >= 500 || ui.status === 403) failLoad(e);
    // A filter refused by its schema names the field; a domain refusal says it in words.
    const named = Object.entries(ui.fields).map(([field, why]) => `${field}: ${why}`);
    return { list: null, fields, query, problem: named.length > 0 ? named.join(' ') : ui.message };
  }
};
