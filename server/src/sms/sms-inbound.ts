// Inbound SMS keywords (the webhook has already proved the caller): BAL (balance, paid-up-to
// date, data left), PAY (the subscriber's pay link), BUY <plan> (a "buy plan" pay link for one
// voucher code of a plan the tenant sells online; ADR 0021 — the code is texted back once
// paid), HELP; anything else gets the help text. Carrier opt-out words (STOP, END, QUIT…) are
// never commands: they put the number on the opt-out list and nothing is replied. Each
// provider message is handled once (sms_inbound is unique per provider id); the reply goes
// through the outbox like any other message.
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { plans, radiusSessions, smsInbound, subscribers, tenants, type SmsProviderKind } from '@kasi/db';
import { formatMoney, money, type SmsLanguage } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { balanceOf } from '../billing/ledger.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { createPayLink } from '../payments/pay-link.service.ts';
import { createPlanPayLink } from '../payments/plan-purchase.ts';
import { sellablePlans } from '../hotspot/hotspot-checkout.ts';
import { smsSetup } from './sms-config.ts';
import { OPT_IN_WORDS, OPT_OUT_WORDS, optIn, optOut } from './sms-opt-out.ts';
import { queueSms } from './sms-outbox.ts';
import { maskPhone, toE164 } from './phone-number.ts';

export interface InboundSms {
  tenantId: string;
  provider: SmsProviderKind;
  providerMessageId: string;
  from: string;
  text: string;
}

type Keyword = 'BAL' | 'PAY' | 'BUY' | 'HELP' | 'STOP' | 'START' | null;

const WORDS: Readonly<Record<SmsLanguage, Record<string, string>>> = {
  en: {
    help: 'Send BAL for your balance, PAY for a payment link, BUY <plan> to buy a plan, HELP for this list.',
    unknownNumber: 'This number is not linked to an account.',
    balance: 'Balance {balance}.',
    owing: 'You owe {balance}.',
    expires: 'Paid up to {date}.',
    dataLeft: 'Data left: {left} of {quota}.',
    pay: 'Pay here: {link}',
    nothingOwed: 'Nothing to pay now.',
    buyDisabled: 'Buying plans by SMS is not enabled. Ask your provider or use the Wi-Fi login page.',
    buy: '{plan} ({price}). Pay here: {link} Your code shows on that page and comes by SMS once paid.',
    buyWhich: 'Send BUY and a plan: {plans}.',
    optedIn: 'You will receive messages again. Send STOP to stop.',
  },
  sw: {
    help: 'Tuma BAL kwa salio, PAY kwa kiungo cha malipo, BUY <kifurushi> kununua kifurushi, HELP kwa orodha hii.',
    unknownNumber: 'Nambari hii haijaunganishwa na akaunti.',
    balance: 'Salio {balance}.',
    owing: 'Unadaiwa {balance}.',
    expires: 'Imelipwa hadi {date}.',
    dataLeft: 'Data iliyobaki: {left} kati ya {quota}.',
    pay: 'Lipa hapa: {link}',
    nothingOwed: 'Hakuna cha kulipa sasa.',
    buyDisabled:
      'Kununua vifurushi kwa SMS hakujawezeshwa. Uliza mtoa huduma wako au tumia ukurasa wa Wi-Fi.',
    buy: '{plan} ({price}). Lipa hapa: {link} Namba yako itaonekana kwenye ukurasa huo na kutumwa kwa SMS ukishalipa.',
    buyWhich: 'Tuma BUY na kifurushi: {plans}.',
    optedIn: 'Utapokea ujumbe tena. Tuma STOP kusimamisha.',
  },
};

const say = (lang: SmsLanguage, key: string, vars: Record<string, string> = {}) =>
  (WORDS[lang][key] ?? '').replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

export function parseKeyword(text: string): { keyword: Keyword; arg: string } {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toUpperCase().replace(/[^A-Z]/g, '');
  if (OPT_OUT_WORDS.has(word)) return { keyword: 'STOP', arg: '' };
  if (OPT_IN_WORDS.has(word)) return { keyword: 'START', arg: '' };
  if (word === 'BAL' || word === 'BALANCE' || word === 'SALIO') return { keyword: 'BAL', arg: '' };
  if (word === 'PAY' || word === 'LIPA') return { keyword: 'PAY', arg: '' };
  if (word === 'BUY' || word === 'NUNUA') return { keyword: 'BUY', arg: rest.join(' ') };
  if (word === 'HELP' || word === 'MSAADA') return { keyword: 'HELP', arg: '' };
  return { keyword: null, arg: '' };
}

const GIB = 1024n ** 3n;
const MIB = 1024n ** 2n;
function formatBytes(n: bigint): string {
  if (n >= GIB) return `${(n / (GIB / 10n)).toString().replace(/(\d)$/, '.$1')} GiB`;
  return `${n / MIB} MiB`;
}

/** The system actor inbound SMS acts as (pay links are audited under it). */
const smsActor = (tenantId: string): Actor => ({
  tenantId,
  userId: null,
  label: 'sms:inbound',
  role: 'owner',
  requestId: null,
});

async function findSubscriber(app: AppContext, tenantId: string, phone: string) {
  const [sub] = await app.db
    .select({
      id: subscribers.id,
      expiresAt: subscribers.expiresAt,
      dataQuotaBytes: plans.dataQuotaBytes,
      currency: tenants.currency,
    })
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .innerJoin(tenants, eq(tenants.id, subscribers.tenantId))
    .where(and(eq(subscribers.tenantId, tenantId), eq(subscribers.phone, phone)))
    .orderBy(asc(subscribers.username))
    .limit(1);
  return sub ?? null;
}

async function balanceReply(
  app: AppContext,
  tenantId: string,
  lang: SmsLanguage,
  sub: NonNullable<Awaited<ReturnType<typeof findSubscriber>>>,
) {
  const owed = await balanceOf(app.db, tenantId, sub.id);
  const parts = [
    owed > 0n
      ? say(lang, 'owing', { balance: formatMoney({ amountMinor: owed, currency: sub.currency }) })
      : say(lang, 'balance', { balance: formatMoney({ amountMinor: -owed, currency: sub.currency }) }),
  ];
  if (sub.expiresAt) parts.push(say(lang, 'expires', { date: sub.expiresAt.toISOString().slice(0, 10) }));
  if (sub.dataQuotaBytes !== null) {
    // Usage over the last 30 days of sessions (the period's start where the plan has none).
    const since = new Date(Date.now() - 30 * 86_400_000);
    const [used] = await app.db
      .select({
        bytes: sql<string>`coalesce(sum(${radiusSessions.inputOctets} + ${radiusSessions.outputOctets}), 0)::text`,
      })
      .from(radiusSessions)
      .where(
        and(
          eq(radiusSessions.tenantId, tenantId),
          eq(radiusSessions.subscriberId, sub.id),
          gte(radiusSessions.lastUpdateAt, since),
        ),
      );
    const left = sub.dataQuotaBytes - BigInt(used?.bytes ?? '0');
    parts.push(
      say(lang, 'dataLeft', {
        left: formatBytes(left > 0n ? left : 0n),
        quota: formatBytes(sub.dataQuotaBytes),
      }),
    );
  }
  return parts.join(' ');
}

const planKey = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * `BUY <plan>`: a "buy plan" pay link for the plan the buyer named (case, spaces and
 * punctuation do not matter; a unique beginning is enough: "BUY day" for "Day pass"), among
 * the plans the tenant sells online — the same list as the hotspot page's "buy now". No such
 * plan, or no name: the list of plans to choose from. No plan sold online: buying by SMS is
 * not enabled. The link is audited as made by `sms:inbound` and keeps the buyer's number
 * (when it is a full international one): the code is texted there once paid
 * (bought-code-sms.ts).
 */
async function buyReply(
  app: AppContext,
  tenantId: string,
  lang: SmsLanguage,
  asked: string,
  buyerPhone: string | null,
) {
  const offered = await sellablePlans(app, tenantId);
  if (offered.length === 0) return say(lang, 'buyDisabled');
  const key = planKey(asked);
  const exact = offered.filter((p) => planKey(p.name) === key);
  const starts = offered.filter((p) => key && planKey(p.name).startsWith(key));
  const plan = exact.length === 1 ? exact[0] : starts.length === 1 ? starts[0] : undefined;
  const price = (p: (typeof offered)[number]) => formatMoney(money(p.priceMinor, p.currency));
  if (!plan) {
    const list = offered
      .slice(0, 6)
      .map((p) => `${p.name} ${price(p)}`)
      .join(', ');
    return say(lang, 'buyWhich', { plans: list });
  }
  const link = await app.db.transaction((tx) =>
    createPlanPayLink(app, tx, { tenantId, planId: plan.id, buyerPhone }, smsActor(tenantId)),
  );
  return say(lang, 'buy', { plan: plan.name, price: price(plan), link: link.url });
}

/** Handles one inbound message; false when it was a replay (already handled). */
export async function handleInbound(app: AppContext, m: InboundSms): Promise<boolean> {
  const setup = await smsSetup(app, app.db, m.tenantId);
  const lang = setup.defaultLanguage;
  const e164 = toE164(m.from, setup.countryCode);
  const from = e164 ?? m.from;
  const { keyword, arg } = parseKeyword(m.text);
  const [row] = await app.db
    .insert(smsInbound)
    .values({
      tenantId: m.tenantId,
      provider: m.provider,
      providerMessageId: m.providerMessageId,
      fromNumber: from,
      body: m.text.slice(0, 1600),
      keyword,
    })
    .onConflictDoNothing()
    .returning({ id: smsInbound.id });
  if (!row) return false;
  app.log.info({ from: maskPhone(from), keyword }, 'inbound SMS');

  if (keyword === 'STOP') {
    await optOut(app.db, {
      tenantId: m.tenantId,
      phone: from,
      source: 'keyword',
      note: m.text.trim().slice(0, 20).toUpperCase(),
    });
    return true;
  }
  let reply: string;
  let subscriberId: string | null = null;
  if (keyword === 'START') {
    await optIn(app.db, m.tenantId, from);
    reply = say(lang, 'optedIn');
  } else if (keyword === 'BAL' || keyword === 'PAY') {
    const sub = await findSubscriber(app, m.tenantId, from);
    subscriberId = sub?.id ?? null;
    if (!sub) reply = `${say(lang, 'unknownNumber')} ${say(lang, 'help')}`;
    else if (keyword === 'BAL') reply = await balanceReply(app, m.tenantId, lang, sub);
    else if ((await balanceOf(app.db, m.tenantId, sub.id)) <= 0n) reply = say(lang, 'nothingOwed');
    else {
      const link = await createPayLink(paymentDepsOf(app), smsActor(m.tenantId), { subscriberId: sub.id });
      reply = say(lang, 'pay', { link: link.url });
    }
  } else if (keyword === 'BUY') {
    reply = await buyReply(app, m.tenantId, lang, arg, e164);
  } else {
    reply = say(lang, 'help');
  }
  await app.db.transaction(async (tx) => {
    const q = await queueSms(app, tx, {
      tenantId: m.tenantId,
      to: from,
      event: 'inbound_reply',
      vars: { text: reply },
      subscriberId,
      language: lang,
      dedupeKey: `inbound:${row.id}`,
    });
    await tx.update(smsInbound).set({ replyId: q.id }).where(eq(smsInbound.id, row.id));
  });
  return true;
}
