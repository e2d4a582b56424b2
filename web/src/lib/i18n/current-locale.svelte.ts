// The language as Svelte state: a layout wraps its page in {#key current.locale} so every
// message is rendered again when the person or the tenant changes it, without a reload.
import { getLocale, onLocaleChange } from './locale.ts';

export const current = $state({ locale: getLocale() });

onLocaleChange(() => {
  current.locale = getLocale();
});
