// Which language the web app speaks (ADR 0023). Paraglide resolves it through the strategies
// in project.inlang/paraglide.config.js, in order: the person's own choice (kept in this
// browser), the tenant's language, the browser's, English. The two custom strategies are
// defined here, before any message is rendered: import messages through this module.
import {
  baseLocale,
  defineCustomClientStrategy,
  getLocale,
  locales,
  toLocale,
  type Locale,
} from '#lib/paraglide/runtime.js';

export { m } from '#lib/paraglide/messages.js';
export { getLocale, locales, type Locale };

/** The language each locale is named in, in itself: a person finds their own in any list. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', sw: 'Kiswahili', fr: 'Français' };

/** Per area, so a subscriber's choice on /my does not change an operator's on the same phone. */
export type LocaleArea = 'console' | 'agent' | 'my';

let area: LocaleArea = 'console';
let tenantLocale: Locale | undefined;
const listeners = new Set<() => void>();

const storageKey = () => `kasi.locale.${area}`;

function stored(): Locale | undefined {
  try {
    return toLocale(localStorage.getItem(storageKey()) ?? '');
  } catch {
    return undefined; // storage refused (private mode): the choice lasts for this page only
  }
}

/** A BCP 47 tag (the tenant's `sw-KE`) as one of ours, by its language; unknown → undefined. */
export function localeOf(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  return toLocale(tag) ?? toLocale(tag.split('-')[0]?.toLowerCase() ?? '');
}

let choiceInMemory: Locale | undefined;

// Paraglide calls setLocale on its own on first resolution; only chooseLocale stores a choice,
// so a fallback resolved before the tenant is known never sticks.
defineCustomClientStrategy('custom-choice', {
  getLocale: () => stored() ?? choiceInMemory,
  setLocale: () => {},
});
defineCustomClientStrategy('custom-tenant', { getLocale: () => tenantLocale, setLocale: () => {} });

function changed() {
  if (typeof document !== 'undefined') document.documentElement.lang = getLocale();
  for (const fn of listeners) fn();
}

/** Which area's stored choice applies (call once in the area's layout). */
export function useLocaleArea(next: LocaleArea): void {
  area = next;
  changed();
}

/** The person picked a language: kept in this browser for this area. */
export function chooseLocale(locale: Locale): void {
  try {
    localStorage.setItem(storageKey(), locale);
  } catch {
    // kept in memory below
  }
  choiceInMemory = locale;
  changed();
}

/**
 * The language the signed-in person keeps on their account (console, ADR 0030): it wins over
 * this browser's earlier choice and is kept here too, so the sign-in page speaks it next time.
 * null (no choice on the account) leaves this browser's own choice, if any, in place.
 */
export function setPersonLocale(tag: string | null | undefined): void {
  const next = localeOf(tag);
  if (next && next !== (stored() ?? choiceInMemory)) chooseLocale(next);
}

/** The person went back to the organisation's language: this browser's choice goes too. */
export function forgetChoice(): void {
  try {
    localStorage.removeItem(storageKey());
  } catch {
    // nothing was stored
  }
  choiceInMemory = undefined;
  changed();
}

/** The tenant's language became known (after sign-in): the default when no choice was made. */
export function setTenantLocale(tag: string | null | undefined): void {
  const next = localeOf(tag);
  if (next === tenantLocale) return;
  tenantLocale = next;
  changed();
}

/** Called after every change of language (re-render keyed on getLocale()). */
export function onLocaleChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const isBaseLocale = () => getLocale() === baseLocale;
