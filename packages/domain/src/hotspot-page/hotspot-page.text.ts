// The words on the hotspot pages, per language. English and Swahili; a tenant whose locale is
// neither gets English.

export type HotspotLanguage = 'en' | 'sw';

export interface HotspotText {
  title: string;
  codeLabel: string;
  codeHint: string;
  connect: string;
  buyNow: string;
  buyHint: string;
  connected: string;
  continueTo: string;
  status: string;
  user: string;
  address: string;
  uptime: string;
  timeLeft: string;
  used: string;
  logout: string;
  loggedOut: string;
  loginAgain: string;
  errorTitle: string;
  tryAgain: string;
  language: string;
}

const EN: HotspotText = {
  title: 'Get online',
  codeLabel: 'Voucher code',
  codeHint: 'The code printed on your card or sent by SMS',
  connect: 'Connect',
  buyNow: 'Buy now',
  buyHint: 'Pay with M-Pesa or card; you are connected as soon as it is paid.',
  connected: 'You are connected',
  continueTo: 'Continue',
  status: 'Your connection',
  user: 'Code',
  address: 'IP address',
  uptime: 'Connected for',
  timeLeft: 'Time left',
  used: 'Data used (down / up)',
  logout: 'Log out',
  loggedOut: 'You have logged out',
  loginAgain: 'Log in again',
  errorTitle: 'Something went wrong',
  tryAgain: 'Try again',
  language: 'Kiswahili',
};

const SW: HotspotText = {
  title: 'Ingia mtandaoni',
  codeLabel: 'Namba ya vocha',
  codeHint: 'Namba iliyo kwenye kadi yako au uliyotumiwa kwa SMS',
  connect: 'Unganisha',
  buyNow: 'Nunua sasa',
  buyHint: 'Lipa kwa M-Pesa au kadi; utaunganishwa mara malipo yakikamilika.',
  connected: 'Umeunganishwa',
  continueTo: 'Endelea',
  status: 'Muunganisho wako',
  user: 'Namba',
  address: 'Anwani ya IP',
  uptime: 'Muda uliounganishwa',
  timeLeft: 'Muda uliobaki',
  used: 'Data iliyotumika (kupakua / kupakia)',
  logout: 'Toka',
  loggedOut: 'Umetoka mtandaoni',
  loginAgain: 'Ingia tena',
  errorTitle: 'Kuna tatizo',
  tryAgain: 'Jaribu tena',
  language: 'English',
};

export const HOTSPOT_TEXT: Readonly<Record<HotspotLanguage, HotspotText>> = { en: EN, sw: SW };

/** The page language for a tenant locale (BCP 47): Swahili for sw / sw-KE / sw-TZ, else English. */
export function hotspotLanguage(locale: string): HotspotLanguage {
  return locale.toLowerCase().split('-')[0] === 'sw' ? 'sw' : 'en';
}
