// Typed errors (@kasi/domain DomainError codes, from the server or from the shared domain code
// run in the browser) in the person's language. Kept apart from #lib/errors.ts (which needs
// SvelteKit) so form helpers and their unit specs can use it.
import { isBaseLocale, onLocaleChange } from './i18n/locale.ts';
import type { ErrorText } from './error-text.ts';

// The server's errors carry a stable code (@kasi/domain); their English is the server's own.
// In another language the code's words come from #lib/error-text.ts, a chunk of its own that
// is fetched once the console speaks that language (and awaited by forms before they show an
// error), so the English console and every page's first load never carry it.
let errorTexts: Readonly<Record<string, ErrorText>> | undefined;
let loadingTexts: Promise<void> | undefined;

/** Makes sure the error words of the current language are here (nothing to load in English). */
export function loadErrorTexts(): Promise<void> {
  if (isBaseLocale()) return Promise.resolve();
  loadingTexts ??= import('./error-text.ts').then(
    (mod) => {
      errorTexts = mod.ERROR_TEXT;
    },
    () => {
      loadingTexts = undefined; // offline: the server's English for now, another try next time
    },
  );
  return loadingTexts;
}

if (typeof window !== 'undefined') {
  onLocaleChange(() => void loadErrorTexts());
  void loadErrorTexts();
}

const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;

/**
 * A typed error in the person's language: the words for its code, or the server's English
 * when the console speaks English, the code has no words yet, or they are still loading.
 */
export function domainText(
  code: string,
  english: string,
  details?: Record<string, unknown> | null | undefined,
): string {
  if (isBaseLocale()) return english;
  const text = errorTexts?.[code];
  if (!text) return english;
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    const s = asText(v);
    if (s !== undefined) inputs[k] = s;
  }
  return text({ ...inputs, english, detail: inputs['detail'] ?? english });
}
