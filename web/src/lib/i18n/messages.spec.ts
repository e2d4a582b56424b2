// Paraglide compiles a message missing in sw or fr without complaint (it falls back to English),
// so this test is the guard: every area's file has the same keys, with the same {variables},
// in every locale of project.inlang/settings.json, every key carries its area's prefix, and
// every file is registered in the settings' pathPattern (an unlisted file is silently ignored).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const web = join(import.meta.dirname, '../../..');
const settings = JSON.parse(readFileSync(join(web, 'project.inlang/settings.json'), 'utf8')) as {
  baseLocale: string;
  locales: string[];
  'plugin.inlang.messageFormat': { pathPattern: string[] };
};
const areas = readdirSync(join(web, 'messages', settings.baseLocale))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/** A plain message, or one with variants (plurals): `[{ declarations, selectors, match }]`. */
type Message = string | { declarations?: string[]; selectors?: string[]; match: Record<string, string> }[];

function load(locale: string, area: string): Record<string, Message> {
  const raw = JSON.parse(readFileSync(join(web, 'messages', locale, `${area}.json`), 'utf8')) as Record<
    string,
    Message
  >;
  delete raw.$schema;
  return raw;
}

/** The texts a message can show (one, or one per variant). */
const texts = (msg: Message | undefined): string[] =>
  msg === undefined ? [] : typeof msg === 'string' ? [msg] : msg.flatMap((v) => Object.values(v.match));

/** The inputs a message needs: {placeholders} of every text and declared inputs, minus locals. */
function variables(msg: Message | undefined): string[] {
  const names = new Set(texts(msg).flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? '')));
  if (Array.isArray(msg)) {
    for (const v of msg) {
      for (const d of v.declarations ?? []) {
        const input = /^input (\w+)$/.exec(d);
        if (input?.[1]) names.add(input[1]);
        const local = /^local (\w+) =/.exec(d);
        if (local?.[1]) names.delete(local[1]);
      }
    }
  }
  return [...names].sort();
}

describe('message files', () => {
  it('cover at least the areas common, console, agent and my, and every console area file', () => {
    expect(areas).toEqual(expect.arrayContaining(['agent', 'common', 'console', 'my', 'console-shell']));
  });

  it('are all registered in project.inlang/settings.json', () => {
    const listed = settings['plugin.inlang.messageFormat'].pathPattern.map((p) =>
      p.replace('./messages/{locale}/', '').replace(/\.json$/, ''),
    );
    expect(areas.filter((a) => !listed.includes(a))).toEqual([]);
  });

  for (const area of areas) {
    const base = load(settings.baseLocale, area);
    // console-shell → console_shell_… (a key is a function name: no hyphens).
    const prefix = `${area.replaceAll('-', '_')}_`;
    it(`${area}: keys carry the area prefix`, () => {
      expect(Object.keys(base).filter((k) => !k.startsWith(prefix))).toEqual([]);
    });
    for (const locale of settings.locales.filter((l) => l !== settings.baseLocale)) {
      it(`${area}: ${locale} has exactly the keys and variables of ${settings.baseLocale}`, () => {
        const other = load(locale, area);
        expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
        for (const [key, msg] of Object.entries(base)) {
          expect({ key, vars: variables(other[key]) }).toEqual({ key, vars: variables(msg) });
          const empty = texts(other[key]).length === 0 || texts(other[key]).some((t) => t.trim() === '');
          expect({ key, empty }).toEqual({ key, empty: false });
        }
      });
    }
  }

  it('plural messages keep a catch-all variant (French and Swahili have other categories than English)', () => {
    for (const locale of settings.locales) {
      for (const area of areas) {
        for (const [key, msg] of Object.entries(load(locale, area))) {
          if (typeof msg === 'string') continue;
          const keys = msg.flatMap((v) => Object.keys(v.match));
          expect({ locale, key, catchAll: keys.some((k) => k.endsWith('=*')) }).toEqual({
            locale,
            key,
            catchAll: true,
          });
        }
      }
    }
  });
});
