// The words on the pay page (`/p/<token>`), per language: the tenant's, as on its hotspot
// login pages (`hotspotLanguage(tenant.locale)`: Swahili for sw / sw-KE / sw-TZ, else
// English). A buyer from the captive portal sees one language from the login page to the
// paid page. Messages from the payment providers and the server's own error messages are
// shown as they come.
import { hotspotLanguage, type HotspotLanguage } from '@kasi/domain';

export type PayLanguage = HotspotLanguage;

export interface PayPageText {
  mpesaPhone: string;
  payMpesa: string;
  payCard: string;
  payPaypal: string;
  noMethod: string;
  yourCode: string;
  connecting: string;
  beingConnected: string;
  beingConnectedHint: string;
  loginNow: string;
  keepCode: string;
  paidTitle: string;
  nothingToPay: string;
  /** The page title of an open link: `{brand}` is the operator's name. */
  payTitle: string;
  received: string;
  receipt: string;
  notPaidTitle: string;
  didNotGoThrough: string;
  checkPhone: string;
  /** `{phone}`: the masked number the prompt went to. */
  enterPin: string;
  yourPhone: string;
  confirming: string;
  updatesItself: string;
  waitingTitle: string;
  /** The hotspot "buy now" page (hotspot-checkout.ts), before the pay page. */
  buyTitle: string;
  buyIntro: string;
  buyNone: string;
  /** Validity of a plan: `{n}` days, hours or minutes. */
  day: string;
  days: string;
  hour: string;
  hours: string;
  minutes: string;
}

const EN: PayPageText = {
  mpesaPhone: 'M-Pesa phone number',
  payMpesa: 'Pay with M-Pesa',
  payCard: 'Pay by card',
  payPaypal: 'Pay with PayPal',
  noMethod: 'No online payment method is set up. Please contact your provider.',
  yourCode: 'Your internet code:',
  connecting: 'Connecting this device…',
  beingConnected: 'This device is being connected now.',
  beingConnectedHint: 'If it is not online in a minute, tap Log in now.',
  loginNow: 'Log in now',
  keepCode: 'Keep this code: type it on the hotspot page if you are asked for it.',
  paidTitle: 'Paid',
  nothingToPay: 'Nothing to pay. Thank you!',
  payTitle: 'Pay {brand}',
  received: 'Payment received. Thank you!',
  receipt: 'Receipt:',
  notPaidTitle: 'Not paid',
  didNotGoThrough: 'The payment did not go through.',
  checkPhone: 'Check your phone.',
  enterPin: 'Enter your M-Pesa PIN in the prompt on {phone}.',
  yourPhone: 'your phone',
  confirming: 'Confirming your payment…',
  updatesItself: 'This page updates by itself.',
  waitingTitle: 'Waiting for payment',
  buyTitle: 'Buy internet',
  buyIntro: 'Choose a plan. You pay on the next page; then this device goes online with your new code.',
  buyNone: 'No plans are on sale online right now. Ask the shop for a voucher.',
  day: '{n} day',
  days: '{n} days',
  hour: '{n} hour',
  hours: '{n} hours',
  minutes: '{n} min',
};

const SW: PayPageText = {
  mpesaPhone: 'Namba ya simu ya M-Pesa',
  payMpesa: 'Lipa kwa M-Pesa',
  payCard: 'Lipa kwa kadi',
  payPaypal: 'Lipa kwa PayPal',
  noMethod: 'Hakuna njia ya kulipa mtandaoni iliyowekwa. Tafadhali wasiliana na mtoa huduma wako.',
  yourCode: 'Namba yako ya vocha:',
  connecting: 'Tunaunganisha kifaa hiki…',
  beingConnected: 'Kifaa hiki kinaunganishwa sasa.',
  beingConnectedHint: 'Kisipokuwa mtandaoni baada ya dakika moja, gusa Ingia sasa.',
  loginNow: 'Ingia sasa',
  keepCode: 'Hifadhi namba hii: iandike kwenye ukurasa wa Wi-Fi ukiulizwa.',
  paidTitle: 'Imelipwa',
  nothingToPay: 'Hakuna cha kulipa. Asante!',
  payTitle: 'Lipa {brand}',
  received: 'Malipo yamepokelewa. Asante!',
  receipt: 'Risiti:',
  notPaidTitle: 'Haijalipwa',
  didNotGoThrough: 'Malipo hayakukamilika.',
  checkPhone: 'Angalia simu yako.',
  enterPin: 'Weka PIN yako ya M-Pesa kwenye ujumbe uliotokea kwenye {phone}.',
  yourPhone: 'simu yako',
  confirming: 'Tunathibitisha malipo yako…',
  updatesItself: 'Ukurasa huu utajisasisha wenyewe.',
  waitingTitle: 'Tunasubiri malipo',
  buyTitle: 'Nunua intaneti',
  buyIntro:
    'Chagua kifurushi. Utalipa kwenye ukurasa unaofuata; kisha kifaa hiki kitaingia mtandaoni kwa namba yako mpya.',
  buyNone: 'Hakuna vifurushi vinavyouzwa mtandaoni sasa hivi. Omba vocha dukani.',
  day: 'siku {n}',
  days: 'siku {n}',
  hour: 'saa {n}',
  hours: 'saa {n}',
  minutes: 'dakika {n}',
};

export const PAY_PAGE_TEXT: Readonly<Record<PayLanguage, PayPageText>> = { en: EN, sw: SW };

/** The pay page's language for a tenant locale (BCP 47). */
export const payLanguage = (locale: string | null | undefined): PayLanguage =>
  hotspotLanguage(locale ?? 'en');
