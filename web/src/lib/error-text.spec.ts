// The server's typed errors in the console's three languages. The list of codes is not kept by
// hand: it is read from the server's and the shared packages' source, every quoted
// `'AREA.REASON'` literal (the DomainError code convention) outside the parts that never speak
// to the console. A new code without Swahili and French words fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentInput, agentUpdateInput, parseRate } from '@kasi/domain';
import { getLocale, overwriteGetLocale, type Locale } from '#lib/paraglide/runtime.js';
import * as messages from '#lib/paraglide/messages.js';
import { ERROR_TEXT } from './error-text.ts';
import { domainText, loadErrorTexts } from './error-words.ts';
import { convert, validate } from './form-input.ts';
import type { FieldErrors } from './errors.ts';

const repo = join(import.meta.dirname, '../../..');

/** Where the console never sees the error: its words are not the console's to give. */
const NOT_CONSOLE: { path: RegExp; why: string }[] = [
  { path: /^server\/src\/cli\//, why: 'the command line speaks English' },
  { path: /\.commands?\.ts$/, why: 'command-line commands' },
  { path: /^server\/src\/self-service\//, why: '/my has its own build and words (ADR 0031)' },
  { path: /^server\/src\/agents\/agent-events\.route\.ts$/, why: 'an event stream: HTTP status only' },
  { path: /^packages\/(routeros-sim|radius)\//, why: 'the router emulator and RADIUS codec' },
];

function sources(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !/\.(spec|testing)\.ts$|\.d\.ts$/.test(f.name))
    .map((f) => relative(repo, join(f.parentPath, f.name)));
}

/** Every DomainError code the console can receive, with one file that names it. */
function consoleCodes(): Map<string, string> {
  const files = [
    ...sources('server/src'),
    ...readdirSync(join(repo, 'packages')).flatMap((p) => sources(`packages/${p}/src`)),
  ].filter((f) => !NOT_CONSOLE.some((x) => x.path.test(f)));
  const codes = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(repo, file), 'utf8');
    for (const [, code] of text.matchAll(/'([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*)'/g))
      if (code && !codes.has(code)) codes.set(code, file);
  }
  return codes;
}

const keyOf = (code: string) => `console_errors_${code.toLowerCase().replaceAll('.', '_')}`;

const file = (locale: string) =>
  JSON.parse(readFileSync(join(repo, 'web/messages', locale, 'console-errors.json'), 'utf8')) as Record<
    string,
    string
  >;

const resolved = getLocale;
const speak = (locale: Locale) => overwriteGetLocale(() => locale);
afterEach(() => overwriteGetLocale(resolved));

describe("the server's error codes in the console's languages", () => {
  const codes = consoleCodes();

  it('finds the codes in the source (the scan itself works)', () => {
    expect(codes.size).toBeGreaterThan(150);
    expect(codes.get('PLAN.NAME_TAKEN')).toBe('server/src/plans/plan.service.ts');
    expect(codes.has('CLI.BAD_DURATION')).toBe(false);
    expect(codes.has('MY.NO_SESSION')).toBe(false);
  });

  it('has words for every code the console can receive, in English, Swahili and French', () => {
    const [en, sw, fr] = ['en', 'sw', 'fr'].map(file);
    const gaps = [...codes]
      .filter(([code]) => {
        const key = keyOf(code);
        const fn = (messages as unknown as Record<string, unknown>)[key];
        return !ERROR_TEXT[code] || ERROR_TEXT[code] !== fn || !en?.[key] || !sw?.[key] || !fr?.[key];
      })
      .map(
        ([code, where]) =>
          `${code} (${where}): add ${keyOf(code)} to web/messages/*/console-errors.json and to web/src/lib/error-text.ts`,
      );
    expect(gaps).toEqual([]);
  });

  it('translates rather than copies, and uses only the inputs every error has', () => {
    const [en, sw, fr] = ['en', 'sw', 'fr'].map(file);
    for (const [key, english] of Object.entries(en ?? {})) {
      if (key === '$schema') continue;
      expect({ key, sw: sw?.[key] === english, fr: fr?.[key] === english }).toEqual({
        key,
        sw: false,
        fr: false,
      });
      const inputs = [...english.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
      expect({ key, inputs: inputs.filter((i) => i !== 'english' && i !== 'detail') }).toEqual({
        key,
        inputs: [],
      });
    }
  });
});

describe('a typed error in the person’s language', () => {
  it('is the Swahili or French words for its code, the server’s English in English', async () => {
    const english = 'A plan named "Daily" already exists';
    speak('sw');
    await loadErrorTexts();
    expect(domainText('PLAN.NAME_TAKEN', english)).toBe('Kifurushi chenye jina hili tayari kipo.');
    speak('fr');
    expect(domainText('PLAN.NAME_TAKEN', english)).toBe('Un forfait porte déjà ce nom.');
    speak('en');
    expect(domainText('PLAN.NAME_TAKEN', english)).toBe(english);
  });

  it('falls back to the server’s English for a code it has no words for', async () => {
    speak('sw');
    await loadErrorTexts();
    expect(domainText('NEW.CODE_NOBODY_TRANSLATED', 'Something new')).toBe('Something new');
  });

  it('keeps the technical detail (what the router said) inside the translated words', async () => {
    speak('sw');
    await loadErrorTexts();
    expect(
      domainText('ROUTER.TRAP', 'no such item (4)', {
        detail: 'no such item (4)',
        retries: 2,
        skip: { x: 1 },
      }),
    ).toBe('Ruta imekataa amri (no such item (4)).');
    // Without a detail, the server's message stands in for it.
    expect(domainText('ROUTER.TIMEOUT', 'no answer')).toBe('Ruta haikujibu kwa wakati (no answer).');
  });

  it('reaches the form fields: a domain error met while reading a field is in Swahili', async () => {
    speak('sw');
    await loadErrorTexts();
    const errors: FieldErrors = {};
    expect(convert('downloadBps', errors, () => parseRate('fast'))).toBeUndefined();
    expect(errors['downloadBps']).toBe('Si kasi kama 10M au 512k.');
  });

  it('says the generic form words in the person’s language (email, choice, number)', () => {
    const agent = { name: 'Amina', password: 'long enough 1', creditLimitMinor: 0n };
    speak('sw');
    const parsed = validate(agentInput, { ...agent, email: 'not-an-email', commissionBps: 'x' });
    expect(parsed.ok ? null : parsed.errors).toEqual({
      email: 'Barua pepe kama jina@mfano.com',
      commissionBps: 'Weka namba',
    });
    const update = validate(agentUpdateInput, { id: crypto.randomUUID(), patch: { status: 'gone' } });
    expect(update.ok ? null : update.errors).toEqual({ 'patch.status': 'Chagua mojawapo ya chaguo' });
    speak('en');
    const again = validate(agentInput, { ...agent, email: 'x' });
    expect(again.ok ? null : again.errors['email']).toBe('An email address such as name@example.com');
  });
});
